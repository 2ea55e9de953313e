"""The follow-up register over HTTP, with the app's rules (``provdata.exchange.actions``):

    GET  /api/v1/follow-up?province=60        the province's flags (with their rules), actions with their review
                                              lines (overdue first), flags without an open action; JSON or CSV
    POST /api/v1/actions                      record an action: a JSON body {"province", "indicator_id", "what",
                                              "agency_id", "due_date", "expected_direction"}
    POST /api/v1/actions/{id}                 change one: a JSON body of the fields that change (status,
                                              dropped_reason, due_date, agency_id, what, expected_direction)

Writes need ``Authorization: Bearer <token>`` of a planner of the province (or an admin); a refusal is a 403 and
is audited; a bad field is a 422 naming it.
"""

from __future__ import annotations

import json

from starlette.concurrency import run_in_threadpool
from starlette.requests import Request
from starlette.responses import JSONResponse, Response

from provdata import accounts
from provdata.basics import clock
from provdata.basics.sheets import safe_frame
from provdata.exchange import actions
from provdata.views import follow
from provdata.web.api.common import BadRequest, _answer, _error, _guard, _one, _params, warehouse
from provdata.web.api.reads import _format, _known, _meta

#: A JSON body of an action is small: a few fields of at most 500 characters.
MAX_BODY = 16_384


def _province(params: dict) -> str:
    code = _one(params, "province")
    if code is None:
        raise BadRequest("province is required: a 2-digit DOPA code (e.g. 60)", "province")
    if code not in _known(warehouse().build_id)[1]:
        raise BadRequest(
            f"province {code!r} is not a 2-digit DOPA code (e.g. 60); GET /api/v1/areas", "province"
        )
    return code


def _records(frame) -> list[dict]:
    return frame.astype(object).where(frame.notna(), None).to_dict(orient="records")


@_guard
def get_follow_up(request: Request) -> Response:
    params = _params(request, {"format", "province", "lang"})
    fmt = _format(params)
    code = _province(params)
    lang = _one(params, "lang", "en")
    if lang not in ("en", "th"):
        raise BadRequest(f"lang={lang!r}: use en or th", "lang")
    wh = warehouse()
    today = clock.today()
    view = follow.follow_up(wh, code, today, lang, "be" if lang == "th" else "ce")
    headers = {"X-Provdata-Build": wh.build_id}
    if fmt == "csv":
        return Response(safe_frame(follow.download_frame(view)).to_csv(index=False),
                        media_type="text/csv; charset=utf-8", headers=headers)  # fmt: skip
    meta = _meta(wh, province=code, as_of=today.isoformat(), rules=view.rules,
                 note="a review line says whether the figure moved, never that the action caused it")  # fmt: skip
    body = {"meta": meta, "flags": _records(view.flags), "actions": _records(view.actions),
            "no_action": _records(view.no_action), "unjudged": _records(view.unjudged)}  # fmt: skip
    return JSONResponse(body, headers=headers)


def _account(request: Request) -> accounts.Account:
    auth = request.headers.get("authorization", "")
    if not auth.lower().startswith("bearer ") or not auth[7:].strip():
        raise BadRequest("send a planner's token: Authorization: Bearer <token>", "Authorization", 401)
    account = accounts.token_account(auth[7:].strip(), request.client.host if request.client else "")
    if account is None:
        raise BadRequest("the token is not valid (unknown, expired or revoked)", "Authorization", 401)
    return account


async def _json(request: Request) -> dict:
    declared = request.headers.get("content-length", "")
    if declared.isdigit() and int(declared) > MAX_BODY:
        raise BadRequest(
            f"the body is {int(declared):,} bytes; an action's is at most {MAX_BODY:,}", "body", 413
        )
    data = b""
    async for chunk in request.stream():
        data += chunk
        if len(data) > MAX_BODY:
            raise BadRequest(f"the body is over {MAX_BODY:,} bytes, the most an action's may be", "body", 413)
    try:
        body = json.loads(data or b"null")
    except (ValueError, UnicodeDecodeError):
        raise BadRequest("the body is not JSON: send an object of the action's fields", "body", 422) from None
    if not isinstance(body, dict) or not all(isinstance(v, (str, type(None))) for v in body.values()):
        raise BadRequest("the body must be a JSON object whose values are text", "body", 422)
    return body


def _action_error(exc: Exception) -> Response | None:
    if isinstance(exc, actions.ActionError):
        return _error(422, str(exc), exc.field or "body")
    return _answer(exc)


async def post_action(request: Request) -> Response:
    """Record an action (201 with the action as stored)."""
    try:
        account = await run_in_threadpool(_account, request)
        body = await _json(request)
        code = str(body.pop("province", "") or "")
        if not code:
            raise BadRequest("province is required in the body: a 2-digit DOPA code", "province", 422)
        client = request.client.host if request.client else ""
        done = await run_in_threadpool(actions.record, code, body, account, warehouse(), client=client)
        return JSONResponse({"action": done}, status_code=201)
    except Exception as exc:
        answer = _action_error(exc)
        if answer is None:
            raise
        return answer


async def post_action_change(request: Request) -> Response:
    """Change an action (200 with the action as stored)."""
    try:
        raw = request.path_params["action_id"]
        if not str(raw).isdigit():
            raise BadRequest(f"{raw!r} is not an action id (a whole number)", "id", 404)
        account = await run_in_threadpool(_account, request)
        body = await _json(request)
        client = request.client.host if request.client else ""
        done = await run_in_threadpool(actions.update, int(raw), body, account, warehouse(), client=client)
        return JSONResponse({"action": done})
    except Exception as exc:
        answer = _action_error(exc)
        if answer is None:
            raise
        if isinstance(exc, actions.ActionError) and exc.field == "id":
            return _error(404, str(exc), "id")
        return answer
