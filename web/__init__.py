"""The analyst's workbench: a local, read-only web app over the graph (``htkg app``).

The library entry point is :func:`serve`::

    from htkg.web import serve
    serve("./store", port=8765)            # until Ctrl-C; 127.0.0.1 unless protected

or, over a store already open, :func:`make_app` (an ASGI application)::

    from htkg.graph.store import open_store
    from htkg.web import make_app
    from htkg.web.access import access_for
    with open_store("./store", lasting=True) as store:
        app = make_app(store, access_for("127.0.0.1", 8765))

Pages are thin (:mod:`.pages`): each makes library calls through the
:class:`~htkg.web.state.Workbench` and fills a Jinja2 template (:mod:`.present`,
``templates/``); :mod:`.access` decides who may reach the app and sets every
response's security headers; :mod:`.errors` turns the library's errors into
pages. Every asset is served by the app itself (``static/``), and the maps are
htkg's own map pages (:mod:`htkg.maps`). docs/app.md is the reference.
"""
from htkg.web.access import AccessError
from htkg.web.server import DEFAULT_PORT, DEFAULT_TIMEOUT, make_app, serve

__all__ = ["AccessError", "DEFAULT_PORT", "DEFAULT_TIMEOUT", "make_app", "serve"]
