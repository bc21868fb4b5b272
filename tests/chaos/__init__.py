"""The chaos suite (``make chaos``): faults, kills, hostile records, secrets and forged state."""
