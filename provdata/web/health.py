"""Liveness and readiness, for the balancer and the operator (server.py mounts them with ``st.App``).

GET /healthz   200 {"live": true} while the process answers (nothing else is looked at)
GET /readyz    200 when this host serves current figures from the store it was configured for, else 503 with
               ``Retry-After`` and the reason (provdata/exchange/health.py): the store's kind and id, the
               sequences, seconds behind and the build id — never the store's host, port, role or database.
"""

from __future__ import annotations

from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import Route

from provdata.exchange import health

#: seconds a balancer or client is told to wait before asking a host that is not ready again
RETRY_AFTER = 5


def live(_request: Request) -> Response:
    return JSONResponse({"live": True}, headers={"Cache-Control": "no-store"})


def ready(_request: Request) -> Response:
    status = health.check()
    headers = {"Cache-Control": "no-store"}
    if not status.ready:
        headers["Retry-After"] = str(RETRY_AFTER)
    return JSONResponse(status.as_json(), status_code=200 if status.ready else 503, headers=headers)


def routes() -> list[Route]:
    return [
        Route("/healthz", live, methods=["GET", "HEAD"]),
        Route("/readyz", ready, methods=["GET", "HEAD"]),
    ]
