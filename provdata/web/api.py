"""HTTP API, served by the app's own server (server.py mounts these routes with ``st.App``).

    GET  /api/v1/indicators      every indicator with names, unit, definition, agency, licence, coverage
    GET  /api/v1/areas           provinces (or ?level=district) with names and region
    GET  /api/v1/observations    figures, filtered by indicator, province and years; JSON or CSV
    GET  /api/v1/loads           every load (seed files and publications) with its status
    GET  /api/v1/openapi.json    this API described as OpenAPI 3.1
    POST /api/v1/uploads         an agency file (the request body), checked like the upload wizard; published
                                 unless dry_run=true. Needs ``Authorization: Bearer <token>``
                                 (``python -m provdata steward token NAME``).

Bad parameters get a 4xx with ``{"error": {"status", "message", "parameter"}}`` naming the parameter and
what to do. Read handlers are plain functions: Starlette runs them in its thread pool, off the event loop; the
upload handler reads its body on the event loop (counted, with a timeout) and parses it in the thread pool.
No streamlit here.
"""

from __future__ import annotations

import asyncio
import re
from dataclasses import dataclass
from functools import cache, lru_cache

import pandas as pd
from starlette.concurrency import run_in_threadpool
from starlette.requests import ClientDisconnect, Request
from starlette.responses import JSONResponse, Response
from starlette.routing import Mount, Route

from provdata import accounts
from provdata.basics import config
from provdata.basics.errors import WarehouseCorrupt, WarehouseMissing, WarehouseSynthetic
from provdata.basics.sheets import safe_frame
from provdata.basics.textfields import BadText
from provdata.exchange import publish
from provdata.ingest import MappingError, Options, UnreadableFile, aliases
from provdata.ingest.read import TooLarge
from provdata.warehouse import queries
from provdata.warehouse.db import Warehouse

VERSION = "v1"
MAX_LIMIT = 1_000_000
DEFAULT_LIMIT = 100_000
_ID = re.compile(r"^[A-Za-z0-9_.\-]{1,80}$")


class BadRequest(Exception):
    def __init__(self, message: str, parameter: str | None = None, status: int = 400) -> None:
        super().__init__(message)
        self.message, self.parameter, self.status = message, parameter, status


@cache
def warehouse() -> Warehouse:
    return Warehouse()


@lru_cache(maxsize=4)
def _known(build_id: str) -> tuple[frozenset[str], frozenset[str]]:
    """Indicator ids and province codes of a build (to check parameters without a query per request)."""
    wh = warehouse()
    return frozenset(queries.indicators(wh).id), frozenset(queries.provinces(wh).code)


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
    if isinstance(exc, TooLarge):
        return _error(413, str(exc), "body")
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
    return re.sub(r"--(map|where|sheet|indicator|year) ", r"\1=", message)


def _params(request: Request, allowed: set[str]) -> dict[str, list[str]]:
    out: dict[str, list[str]] = {}
    for key, value in request.query_params.multi_items():
        if key not in allowed:
            raise BadRequest(
                f"unknown parameter {key!r}; this endpoint takes {', '.join(sorted(allowed))}", key
            )
        out.setdefault(key, []).extend(v for v in value.split(",") if v != "")
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


def _format(params: dict[str, list[str]]) -> str:
    fmt = _one(params, "format", "json")
    if fmt not in ("json", "csv"):
        raise BadRequest(f"format={fmt!r}: use json or csv", "format")
    return fmt


def _table(frame: pd.DataFrame, fmt: str, meta: dict) -> Response:
    headers = {"X-Provdata-Build": meta["build_id"]}
    if fmt == "csv":
        # text a spreadsheet would evaluate (a note or licence starting with "=") gets a leading "'"
        return Response(
            safe_frame(frame).to_csv(index=False), media_type="text/csv; charset=utf-8", headers=headers
        )
    data = frame.astype(object).where(frame.notna(), None).to_dict(orient="records")
    return JSONResponse({"meta": meta, "data": data}, headers=headers)


def _meta(wh: Warehouse, **extra) -> dict:
    return {"build_id": wh.build_id, "api": VERSION, **extra}


INDICATOR_FIELDS = [
    "id", "name_th", "name_en", "unit_th", "unit_en", "theme", "definition_th", "definition_en", "kind",
    "higher_is_better", "agency_id", "agency_short_en", "source_ids", "license", "first_year", "last_year",
    "n_provinces", "n_districts",
]  # fmt: skip


@_guard
def get_indicators(request: Request) -> Response:
    params = _params(request, {"format"})
    fmt = _format(params)
    wh = warehouse()
    frame = queries.indicators(wh)[INDICATOR_FIELDS]
    return _table(frame, fmt, _meta(wh, count=len(frame)))


@_guard
def get_areas(request: Request) -> Response:
    params = _params(request, {"format", "level"})
    fmt = _format(params)
    level = _one(params, "level", "province")
    if level not in ("province", "district"):
        raise BadRequest(f"level={level!r}: use province or district", "level")
    wh = warehouse()
    frame = queries.areas(wh, level)
    return _table(frame, fmt, _meta(wh, count=len(frame)))


@_guard
def get_observations(request: Request) -> Response:
    params = _params(request, {"format", "indicator", "province", "from", "to", "limit", "offset"})
    fmt = _format(params)
    wh = warehouse()
    known_ids, known_codes = _known(wh.build_id)
    ids = params.get("indicator", [])
    for i in ids:
        if i not in known_ids:
            raise BadRequest(f"indicator {i!r} is unknown; GET /api/v1/indicators lists the ids", "indicator")
    codes = params.get("province", [])
    for c in codes:
        if c not in known_codes:
            raise BadRequest(
                f"province {c!r} is not a 2-digit DOPA code (e.g. 60); GET /api/v1/areas", "province"
            )
    first = _int(params, "from", None, config.MIN_YEAR, 2100)
    last = _int(params, "to", None, config.MIN_YEAR, 2100)
    if first is not None and last is not None and first > last:
        raise BadRequest(f"from={first} is after to={last}", "from")
    limit = _int(params, "limit", DEFAULT_LIMIT, 1, MAX_LIMIT)
    offset = _int(params, "offset", 0, 0, 10**9)
    frame, total = queries.observations(wh, ids, codes, first, last, limit, offset)
    meta = _meta(wh, count=len(frame), total=total, limit=limit, offset=offset,
                 sources_url="/api/v1/indicators", years="Gregorian (ค.ศ.)")  # fmt: skip
    return _table(frame, fmt, meta)


@_guard
def get_loads(request: Request) -> Response:
    params = _params(request, {"format"})
    fmt = _format(params)
    wh = warehouse()
    frame = queries.loads(wh).drop(columns=["agency_short_th"])
    frame["loaded_at"] = frame.loaded_at.astype(str)
    frame["rolled_back_at"] = frame.rolled_back_at.astype(str).replace({"NaT": None})
    return _table(frame, fmt, _meta(wh, count=len(frame)))


def _bool(params: dict[str, list[str]], key: str) -> bool:
    raw = (_one(params, key, "false") or "").lower()
    if raw not in ("true", "false", "1", "0"):
        raise BadRequest(f"{key}={raw!r}: use true or false", key)
    return raw in ("true", "1")


def _pairs(values: list[str], key: str) -> tuple[tuple[str, str], ...]:
    out = []
    for v in values:
        if "=" not in v:
            raise BadRequest(f'{key}={v!r}: write it as "COLUMN=VALUE"', key)
        left, right = v.split("=", 1)
        out.append((left.strip(), right.strip()))
    return tuple(out)


UPLOAD_PARAMS = {"filename", "sheet", "year", "indicator", "map", "where", "name", "dry_run", "accept_flagged",
                 "license", "note"}  # fmt: skip


async def post_upload(request: Request) -> Response:
    """The body is read on the event loop, counted and timed as it arrives: a stalled upload holds no worker
    thread (408 after ``config.upload_timeout_s()``), an oversized one is cut at the limit (413). The checks
    and the CPU-bound parse run in the thread pool."""
    try:
        upload = await run_in_threadpool(_upload_request, request)
        data = await _read_body(request, config.upload_max_bytes(), config.upload_timeout_s())
        return await run_in_threadpool(_upload, upload, data)
    except Exception as exc:
        answer = _answer(exc)
        if answer is None:
            raise
        return answer


@dataclass(frozen=True)
class _Upload:
    account: accounts.Account
    file_name: str
    options: Options
    dry_run: bool
    accept_flagged: bool
    license: str | None
    note: str
    client: str = ""


def _upload_request(request: Request) -> _Upload:
    """The token and the parameters, checked before any of the body is read."""
    auth = request.headers.get("authorization", "")
    if not auth.lower().startswith("bearer ") or not auth[7:].strip():
        raise BadRequest("send the steward's token: Authorization: Bearer <token>", "Authorization", 401)
    account = accounts.by_token(auth[7:].strip())
    if account is None:
        raise BadRequest("the token is not valid (unknown, expired or revoked; make one with `python -m provdata account token NAME`)",
                         "Authorization", 401)  # fmt: skip
    params = _params(request, UPLOAD_PARAMS)
    file_name = _one(params, "filename")
    if not file_name or not re.search(r"\.(csv|tsv|txt|xlsx|xlsm|xls)$", file_name, re.I):
        raise BadRequest("filename is required and must end in .csv, .tsv, .xlsx or .xls", "filename")
    year = _int(params, "year", None, config.MIN_YEAR, 2700)
    if year is not None and year >= 2400:
        year -= 543
    indicator = _one(params, "indicator")
    if indicator is not None and not _ID.match(indicator):
        raise BadRequest(f"indicator={indicator!r} is not an indicator id", "indicator")
    options = Options(
        sheet=_one(params, "sheet"),
        year=year,
        indicator=indicator,
        maps=_pairs(params.get("map", []), "map"),
        where=_pairs(params.get("where", []), "where"),
        names=_pairs(params.get("name", []), "name"),
        agency=account.agency_id,
        skip_unmapped=bool(params.get("map")),
    )
    return _Upload(account, file_name, options, _bool(params, "dry_run"), _bool(params, "accept_flagged"),
                   _one(params, "license"), _one(params, "note", "") or "",
                   request.client.host if request.client else "")  # fmt: skip


def _upload(upload: _Upload, data: bytes) -> Response:
    wh = warehouse()
    preview = publish.check(data, upload.file_name, upload.options, wh, upload.account)
    counts = preview.counts()
    body = {
        "counts": counts,
        "notes": preview.notes,
        "proposed": preview.proposed,
        "rejected": _records(preview.rejected.head(1000)),
        "flagged": _records(preview.flagged.head(1000)),
        "published": None,
    }
    if upload.dry_run:
        return JSONResponse(body)
    rows = preview.to_publish(upload.accept_flagged)
    if rows.empty:
        body["message"] = "nothing to publish: no row was accepted (see rejected and flagged)"
        return JSONResponse(body, status_code=422)
    license = upload.license or publish.default_licence(queries.indicators(wh), rows.indicator_id)
    result = publish.publish(
        rows, data, upload.file_name, upload.account, rows_in=sum(counts.values()),
        rows_rejected=counts["rejected"], license=license, note=upload.note,
        mapping={"via": "api", **_plain(upload.options)}, client=upload.client,
    )  # fmt: skip
    body["published"] = {"load_id": result.load_id, "rows": result.rows, "build_id": result.build_id}
    used = {s: c for s, c in upload.options.names if s in preview.confirmed}
    if used:
        aliases.keep(upload.account.agency_id, used, upload.account.name)
    return JSONResponse(body, status_code=201)


#: After the limit, what a client still sends is read and dropped (never kept) up to this many times the limit,
#: so that it reads the 413 rather than a reset connection; past that the connection is closed.
DRAIN_FACTOR = 4


async def _read_body(request: Request, limit: int, timeout: float) -> bytes:
    """The body as it arrives (Content-Length or chunked), at most ``limit`` bytes kept; 408 when no part of it
    arrives for ``timeout`` seconds."""
    declared = request.headers.get("content-length", "")
    over = declared.isdigit() and int(declared) > limit
    if declared.isdigit() and int(declared) > DRAIN_FACTOR * limit:
        raise BadRequest(f"the file is {int(declared) / 1e6:.1f} MB; the limit is {limit / 1e6:.0f} MB: split it "
                         "by year or indicator", "body", 413)  # fmt: skip
    stream = request.stream()
    chunks: list[bytes] = []
    size = 0
    while True:
        try:
            chunk = await asyncio.wait_for(anext(stream), timeout)
        except StopAsyncIteration:
            break
        except TimeoutError:
            if over:
                break
            raise BadRequest(
                f"the upload stalled: no part of the body arrived for {timeout:g} s (after {size:,} bytes); "
                "send the file again", "body", 408,
            ) from None  # fmt: skip
        except ClientDisconnect:
            raise BadRequest("the client closed the connection before the body ended", "body") from None
        size += len(chunk)
        over = over or size > limit
        if over:
            chunks.clear()  # past the limit nothing is kept; what follows is read only to be dropped
            if size > DRAIN_FACTOR * limit:
                break
            continue
        chunks.append(chunk)
    if over:
        what = f"{int(declared) / 1e6:.1f} MB" if declared.isdigit() else f"more than {limit / 1e6:.0f} MB"
        raise BadRequest(f"the file is {what}; the limit is {limit / 1e6:.0f} MB: split it by year or indicator",
                         "body", 413)  # fmt: skip
    return b"".join(chunks)


def _records(frame: pd.DataFrame) -> list[dict]:
    return frame.astype(object).where(frame.notna(), None).to_dict(orient="records")


def _plain(options: Options) -> dict:
    return {"sheet": options.sheet, "year": options.year, "indicator": options.indicator,
            "maps": list(options.maps), "where": list(options.where)}  # fmt: skip


def openapi(request: Request) -> Response:
    return JSONResponse(OPENAPI)


def _q(
    name: str, description: str, schema: dict, required: bool = False, explode: bool | None = None
) -> dict:
    p = {"name": name, "in": "query", "required": required, "description": description, "schema": schema}
    if explode is not None:
        p.update(style="form", explode=explode)
    return p


_FORMAT = _q("format", "json (default) or csv", {"type": "string", "enum": ["json", "csv"]})
_ERROR = {"description": "bad request: the message names the parameter",
          "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Error"}}}}  # fmt: skip
_TABLE = {
    "description": "a table",
    "content": {
        "application/json": {"schema": {"$ref": "#/components/schemas/Table"}},
        "text/csv": {"schema": {"type": "string"}},
    },
}
OPENAPI: dict = {
    "openapi": "3.1.0",
    "info": {
        "title": "provdata API",
        "version": "1.0.0",
        "description": "Thai provincial statistics as published by their agencies: indicators, areas and "
        "observations (years Gregorian), with sources and licences; uploads by agency stewards.",
    },
    "paths": {
        "/api/v1/indicators": {
            "get": {
                "summary": "Every indicator",
                "parameters": [_FORMAT],
                "responses": {"200": _TABLE, "400": _ERROR},
            }
        },
        "/api/v1/areas": {
            "get": {
                "summary": "Provinces or districts",
                "parameters": [
                    _FORMAT,
                    _q(
                        "level",
                        "province (default) or district",
                        {"type": "string", "enum": ["province", "district"]},
                    ),
                ],
                "responses": {"200": _TABLE, "400": _ERROR},
            }
        },
        "/api/v1/observations": {
            "get": {
                "summary": "Figures by indicator, province and year",
                "parameters": [
                    _FORMAT,
                    _q(
                        "indicator",
                        "indicator ids, comma-separated",
                        {"type": "array", "items": {"type": "string"}},
                        explode=False,
                    ),
                    _q(
                        "province",
                        "2-digit DOPA province codes, comma-separated",
                        {"type": "array", "items": {"type": "string"}},
                        explode=False,
                    ),
                    _q(
                        "from",
                        "first year (Gregorian)",
                        {"type": "integer", "minimum": 1900, "maximum": 2100},
                    ),
                    _q("to", "last year (Gregorian)", {"type": "integer", "minimum": 1900, "maximum": 2100}),
                    _q("limit", "rows per page", {"type": "integer", "minimum": 1, "maximum": MAX_LIMIT}),
                    _q("offset", "rows to skip", {"type": "integer", "minimum": 0}),
                ],
                "responses": {"200": _TABLE, "400": _ERROR},
            }
        },
        "/api/v1/loads": {
            "get": {
                "summary": "Seed files and publications",
                "parameters": [_FORMAT],
                "responses": {"200": _TABLE, "400": _ERROR},
            }
        },
        "/api/v1/uploads": {
            "post": {
                "summary": "Check and publish an agency file (the request body)",
                "security": [{"bearer": []}],
                "parameters": [
                    _q(
                        "filename",
                        "the file's name (its extension says the format)",
                        {"type": "string"},
                        True,
                    ),
                    _q("sheet", "the sheet to read", {"type": "string"}),
                    _q("year", "the year of the whole table", {"type": "integer"}),
                    _q("indicator", "the indicator of the whole table", {"type": "string"}),
                    _q(
                        "map",
                        "COLUMN=ROLE (province, year, indicator, value, skip or an indicator id)",
                        {"type": "array", "items": {"type": "string"}},
                        explode=True,
                    ),
                    _q(
                        "where",
                        "COLUMN=VALUE: keep only these rows",
                        {"type": "array", "items": {"type": "string"}},
                        explode=True,
                    ),
                    _q(
                        "name",
                        "SPELLING=CODE: confirm a province spelling the answer proposed (kept for the agency)",
                        {"type": "array", "items": {"type": "string"}},
                        explode=True,
                    ),
                    _q("dry_run", "check only", {"type": "boolean"}),
                    _q("accept_flagged", "publish large revisions too", {"type": "boolean"}),
                    _q("license", "licence of the figures", {"type": "string"}),
                    _q("note", "a note kept with the publication", {"type": "string"}),
                ],
                "requestBody": {
                    "required": True,
                    "content": {
                        "application/octet-stream": {"schema": {"type": "string", "format": "binary"}}
                    },
                },
                "responses": {
                    "200": {"description": "checked (dry run)"},
                    "201": {"description": "published"},
                    "400": _ERROR,
                    "401": _ERROR,
                    "413": _ERROR,
                    "422": _ERROR,
                },
            }
        },
    },
    "components": {
        "securitySchemes": {"bearer": {"type": "http", "scheme": "bearer"}},
        "schemas": {
            "Error": {
                "type": "object",
                "properties": {
                    "error": {
                        "type": "object",
                        "properties": {
                            "status": {"type": "integer"},
                            "message": {"type": "string"},
                            "parameter": {"type": ["string", "null"]},
                        },
                    }
                },
            },
            "Table": {
                "type": "object",
                "properties": {
                    "meta": {"type": "object"},
                    "data": {"type": "array", "items": {"type": "object"}},
                },
            },
        },
    },
}


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
                Route("/openapi.json", openapi, methods=["GET"]),
            ],
        )
    ]
