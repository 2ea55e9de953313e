"""The API's routes, mounted under ``/api/v1`` (:func:`routes`, what server.py mounts with ``st.App``)."""

from __future__ import annotations

from starlette.routing import Mount, Route

from provdata.web.api.common import VERSION
from provdata.web.api.follow import get_follow_up, post_action, post_action_change
from provdata.web.api.openapi_doc import openapi
from provdata.web.api.reads import get_areas, get_indicators, get_loads, get_observations
from provdata.web.api.upload import post_upload


def routes() -> list:
    """The API's routes, mounted under /api/v1 (an unknown path under it is a 404 from the mount)."""
    return [
        Mount(
            f"/api/{VERSION}",
            routes=[
                Route("/indicators", get_indicators, methods=["GET"]),
                Route("/areas", get_areas, methods=["GET"]),
                Route("/observations", get_observations, methods=["GET"]),
                Route("/loads", get_loads, methods=["GET"]),
                Route("/uploads", post_upload, methods=["POST"]),
                Route("/follow-up", get_follow_up, methods=["GET"]),
                Route("/actions", post_action, methods=["POST"]),
                Route("/actions/{action_id}", post_action_change, methods=["POST"]),
                Route("/openapi.json", openapi, methods=["GET"]),
            ],
        )
    ]
