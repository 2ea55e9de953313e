"""The upload route (``POST /api/v1/uploads``): the token and parameters checked first, then a slot of the
account's and the process's uploads taken (429/503 with Retry-After when full, provdata/web/admission.py), the
body read on the event loop into a temporary file (counted, with a timeout, cut at the size limit), then checked
and published in the thread pool."""

from __future__ import annotations

import asyncio
import re
import tempfile
from dataclasses import dataclass

import pandas as pd
from starlette.concurrency import run_in_threadpool
from starlette.requests import ClientDisconnect, Request
from starlette.responses import JSONResponse, Response

from provdata import accounts
from provdata.basics import config
from provdata.basics.errors import Busy
from provdata.exchange import publish
from provdata.ingest import Options, aliases
from provdata.warehouse import queries
from provdata.web.admission import account_slot, check_slot
from provdata.web.api.common import BadRequest, _answer, _error, _int, _one, _params, warehouse

_ID = re.compile(r"^[A-Za-z0-9_.\-]{1,80}$")


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
                 "license", "note", "override_names"}  # fmt: skip
#: The parameters that take comma-separated values (each value has no comma of its own); every other value,
#: e.g. a note or a licence, is kept whole.
UPLOAD_LISTS = frozenset({"map", "name"})


async def post_upload(request: Request) -> Response:
    """The body is read on the event loop, counted and timed as it arrives: a stalled upload holds no worker
    thread (408 after ``config.upload_timeout_s()``), an oversized one is cut at the limit (413). The checks
    and the CPU-bound parse run in the thread pool."""
    try:
        upload = await run_in_threadpool(_upload_request, request)
        with account_slot(upload.account.name):
            data = await _read_body(request, config.upload_max_bytes(), config.upload_timeout_s())
            with check_slot():
                return await run_in_threadpool(_upload, upload, data)
    except Busy as exc:
        await _drain(request, config.upload_max_bytes(), config.upload_timeout_s())
        return _error(exc.status, exc.detail, "Authorization" if exc.status == 429 else None,
                      {"Retry-After": str(exc.retry_after)})  # fmt: skip
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
    client = request.client.host if request.client else ""
    account = accounts.token_account(auth[7:].strip(), client)
    if account is None:
        raise BadRequest("the token is not valid (unknown, expired or revoked; make one with `python -m provdata account token NAME`)",
                         "Authorization", 401)  # fmt: skip
    params = _params(request, UPLOAD_PARAMS, UPLOAD_LISTS)
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
        override_names=_bool(params, "override_names"),
    )
    if options.override_names and not account.admin:
        raise accounts.WriteRefused(
            f"{account.name} is not an admin: only admins may override the name matcher"
        )
    return _Upload(account, file_name, options, _bool(params, "dry_run"), _bool(params, "accept_flagged"),
                   _one(params, "license"), _one(params, "note", "") or "", client)  # fmt: skip


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
        aliases.keep(upload.account.agency_id, used, upload.account.name, override=upload.options.override_names,
                     client=upload.client)  # fmt: skip
    return JSONResponse(body, status_code=201)


#: After the limit, what a client still sends is read and dropped (never kept) up to this many times the limit,
#: so that it reads the 413 rather than a reset connection; past that the connection is closed.
DRAIN_FACTOR = 4


async def _read_body(request: Request, limit: int, timeout: float) -> bytes:
    """The body as it arrives (Content-Length or chunked), at most ``limit`` bytes kept, in a temporary file (not
    a list of pieces joined at the end: one copy in memory, once it is whole); 408 when no part of it arrives for
    ``timeout`` seconds."""
    declared = request.headers.get("content-length", "")
    over = declared.isdigit() and int(declared) > limit
    if declared.isdigit() and int(declared) > DRAIN_FACTOR * limit:
        raise BadRequest(f"the file is {int(declared) / 1e6:.1f} MB; the limit is {limit / 1e6:.0f} MB: split it "
                         "by year or indicator", "body", 413)  # fmt: skip
    with tempfile.TemporaryFile(prefix="provdata-upload-") as spool:
        size = await _spool(request.stream(), spool, limit, timeout, over)
        if size <= limit:
            spool.seek(0)
            return spool.read()
    what = f"{int(declared) / 1e6:.1f} MB" if declared.isdigit() else f"more than {limit / 1e6:.0f} MB"
    raise BadRequest(f"the file is {what}; the limit is {limit / 1e6:.0f} MB: split it by year or indicator",
                     "body", 413)  # fmt: skip


class _Dropped:
    def write(self, _chunk: bytes) -> None:
        pass


async def _drain(request: Request, limit: int, timeout: float) -> None:
    """Read and drop what is left of a refused upload's body (up to DRAIN_FACTOR × the limit), so that the
    client, still sending, reads the answer rather than a reset connection. Nothing is kept."""
    try:
        await _spool(request.stream(), _Dropped(), DRAIN_FACTOR * limit, timeout, False)
    except BadRequest:  # stalled or gone: the answer is sent anyway
        pass
    except RuntimeError:  # the body was read already (the process's slot is taken after it)
        pass


async def _spool(stream, spool, limit: int, timeout: float, over: bool) -> int:
    """Write the body's pieces to ``spool`` until it ends; past ``limit`` (or when ``over`` from the start)
    nothing more is kept and what follows is read only to be dropped. Returns the bytes seen (> limit: too big)."""
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
            if size > DRAIN_FACTOR * limit:
                break
            continue
        spool.write(chunk)
    return max(size, limit + 1) if over else size


def _records(frame: pd.DataFrame) -> list[dict]:
    return frame.astype(object).where(frame.notna(), None).to_dict(orient="records")


def _plain(options: Options) -> dict:
    return {"sheet": options.sheet, "year": options.year, "indicator": options.indicator,
            "maps": list(options.maps), "where": list(options.where)}  # fmt: skip
