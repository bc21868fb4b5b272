"""The Dataverse solution, generated from :mod:`connector.schema`.

``solution_assets/`` holds the unpacked unmanaged solution: ``solution.xml`` (the manifest),
``customizations.xml`` (tables, columns, keys, forms, views, the application-user role, web resources)
and ``[Content_Types].xml``. :func:`connector.solution.builder.generate` rewrites the three files from the
schema; :func:`connector.solution.pack.pack` zips the folder into an importable solution.

Modules: :mod:`.xmlutil` (element helpers, stable ids, writing), :mod:`.layout` (what forms and views
show), :mod:`.attributes` (columns, option sets, keys), :mod:`.forms` (forms and views), :mod:`.role` (the
security role), :mod:`.webresources` (the web-resource extension point), :mod:`.entities` (one
``<Entity>`` per table), :mod:`.manifest` (``solution.xml`` and ``[Content_Types].xml``), :mod:`.builder`
and :mod:`.pack`.
"""
