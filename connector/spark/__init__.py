"""Jobs for Spark (Synapse / Fabric) over the lake: producers computed partition by partition."""
