"""Support code of the web UI (strings, cached views of the graph, maps, matrix, network).

The routes are in :mod:`api.routes.ui`; templates in ``api/templates``, our own JS/CSS in
``api/static``, vendor bundles built from npm packages in ``web/dist``.
"""
