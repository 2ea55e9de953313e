"""What the API's routes share: the version and paging limits, :class:`BadRequest`, the warehouse, the error
answers (``_error``, ``_answer``, ``_guard``) and the query-parameter readers (``_params``, ``_one``,
``_int``)."""

from __future__ import annotations

import re
from functools import cache

from starlette.requests import Request
from starlette.responses import JSONResponse, Response

from provdata import accounts
from provdata.basics.errors import WarehouseCorrupt, WarehouseMissing, WarehouseSynthetic
from provdata.basics.textfields import BadText
from provdata.exchange import publish
from provdata.ingest import MappingError, UnreadableFile
from provdata.ingest.read import TooLarge
from provdata.store import StoreMisconfigured
from provdata.store.postgres import StoreUnavailable
from provdata.warehouse.db import Warehouse

VERSION = "v1"
MAX_LIMIT = 1_000_000
DEFAULT_LIMIT = 100_000


class BadRequest(Exception):
    def __init__(self, message: str, parameter: str | None = None, status: int = 400) -> None:
        super().__init__(message)
        self.message, self.parameter, self.status = message, parameter, status


@cache
def warehouse() -> Warehouse:
    return Warehouse()


def _error(
    status: int, message: str, parameter: str | None = None, headers: dict | None = None
) -> JSONResponse:
    body = {"error": {"status": status, "message": message, "parameter": parameter}}
    return JSONResponse(body, status_code=status, headers=headers)


def _answer(exc: Exception) -> Response | None:
    """The answer to bad input and known failures (4xx/503 with a message), or None for a bug (a 500)."""
    if isinstance(exc, BadRequest):
        headers = {"WWW-Authenticate": "Bearer"} if exc.status == 401 else None
        return _error(exc.status, exc.message, exc.parameter, headers)
    if isinstance(exc, (WarehouseMissing, WarehouseCorrupt, WarehouseSynthetic)):
        return _error(503, f"the data warehouse is not available: {exc}")
    if (
        getattr(exc, "key", None) == "store_unavailable"
    ):  # PostgreSQL down: nothing was written, say when to retry
        return _error(503, str(exc), None, {"Retry-After": str(exc.retry_after)})
    if isinstance(exc, StoreMisconfigured):  # the detail is in the server's log, for the administrator
        return _error(503, "this server is not configured correctly: nothing was written; the administrator "
                      "will find why in the server's log", None, {"Retry-After": "60"})  # fmt: skip
    if isinstance(exc, TooLarge):
        return _error(413, str(exc), "body")
    if isinstance(exc, StoreUnavailable):  # not made, or (CommitUnknown) perhaps made: the message says which
        return _error(503, str(exc), None, {"Retry-After": "30"})
    if isinstance(exc, accounts.SignInLocked):
        return _error(429, str(exc), "Authorization", {"Retry-After": str(max(1, exc.seconds))})
    if isinstance(exc, accounts.WriteRefused):
        return _error(403, str(exc), "Authorization")
    if isinstance(exc, BadText):
        return _error(422, str(exc), exc.params.get("field", "body"))
    if isinstance(exc, (UnreadableFile, MappingError, publish.PublishRefused)):
        return _error(422, _as_api(str(exc)), "body")
    return None


def _guard(handler):
    """Turn bad input and known failures into 4xx/503 answers with a message; never a 500 for them."""

    def wrapped(request: Request) -> Response:
        try:
            return handler(request)
        except Exception as exc:
            answer = _answer(exc)
            if answer is None:
                raise
            return answer

    wrapped.__name__ = handler.__name__
    return wrapped


def _as_api(message: str) -> str:
    """The core names the command-line options; say them as this API's parameters."""
    message = re.sub(r"--(indicator|year|sheet) (ID|YYYY|NAME)", r"\1=\2", message)
    message = message.replace("--override-names", "override_names=true")
    message = re.sub(r"--(map|where|sheet|indicator|year|name) ", r"\1=", message)
    return re.sub(r"--(map|where|sheet|indicator|year|name)\b", r"\1", message)


def _params(request: Request, allowed: set[str], lists: frozenset[str] = frozenset()) -> dict[str, list[str]]:
    """The query's values per parameter. Only the ``lists`` parameters (several ids or codes) take
    comma-separated values; any other value is kept whole, commas and all (``note=revised, see DOPA letter``)."""
    out: dict[str, list[str]] = {}
    for key, value in request.query_params.multi_items():
        if key not in allowed:
            raise BadRequest(
                f"unknown parameter {key!r}; this endpoint takes {', '.join(sorted(allowed))}", key
            )
        parts = value.split(",") if key in lists else [value]
        out.setdefault(key, []).extend(v for v in parts if v != "")
    return out


def _one(params: dict[str, list[str]], key: str, default: str | None = None) -> str | None:
    values = params.get(key, [])
    if len(values) > 1:
        raise BadRequest(f"{key} takes one value, got {len(values)}", key)
    return values[0] if values else default


def _int(params: dict[str, list[str]], key: str, default: int | None, low: int, high: int) -> int | None:
    raw = _one(params, key)
    if raw is None:
        return default
    try:
        value = int(raw)
    except ValueError:
        raise BadRequest(f"{key}={raw!r} is not a whole number", key) from None
    if not low <= value <= high:
        raise BadRequest(f"{key}={value} is outside {low}–{high}", key)
    return value
