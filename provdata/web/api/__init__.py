"""HTTP API, served by the app's own server (server.py mounts these routes with ``st.App``).

    GET  /api/v1/indicators      every indicator with names, unit, definition, agency, licence, coverage
    GET  /api/v1/areas           provinces (or ?level=district) with names and region
    GET  /api/v1/observations    figures, filtered by indicator, province and years; JSON or CSV
    GET  /api/v1/loads           every load (seed files and publications) with its status
    GET  /api/v1/openapi.json    this API described as OpenAPI 3.1
    GET  /api/v1/follow-up       a province's flags, actions with their review lines, flags without an action
    POST /api/v1/actions         record an action on a flag (a planner's token); POST /api/v1/actions/{id} changes it
    POST /api/v1/uploads         an agency file (the request body), checked like the upload wizard; published
                                 unless dry_run=true. Needs ``Authorization: Bearer <token>``
                                 (``python -m provdata steward token NAME``).

Bad parameters get a 4xx with ``{"error": {"status", "message", "parameter"}}`` naming the parameter and
what to do. Read handlers are plain functions: Starlette runs them in its thread pool, off the event loop; the
upload handler reads its body on the event loop (counted, with a timeout) and parses it in the thread pool.
No streamlit here.

Modules: ``common`` (limits, :class:`BadRequest`, the warehouse, error answers, parameter readers), ``reads``
(indicators, areas, observations, loads), ``follow`` (the follow-up register), ``upload`` (the upload route, its body reading and limits),
``openapi_doc`` (the OpenAPI document) and ``mount`` (:func:`routes`). The names are re-exported here.
"""

from __future__ import annotations

from provdata.web.api.common import DEFAULT_LIMIT, MAX_LIMIT, VERSION, BadRequest, warehouse
from provdata.web.api.mount import routes
from provdata.web.api.openapi_doc import OPENAPI, openapi
from provdata.web.api.reads import (
    INDICATOR_FIELDS,
    _table,
    get_areas,
    get_indicators,
    get_loads,
    get_observations,
)
from provdata.web.api.upload import DRAIN_FACTOR, UPLOAD_PARAMS, post_upload

__all__ = [
    "DEFAULT_LIMIT",
    "DRAIN_FACTOR",
    "INDICATOR_FIELDS",
    "MAX_LIMIT",
    "OPENAPI",
    "UPLOAD_PARAMS",
    "VERSION",
    "BadRequest",
    "_table",
    "get_areas",
    "get_indicators",
    "get_loads",
    "get_observations",
    "openapi",
    "post_upload",
    "routes",
    "warehouse",
]
