"""The read routes: indicators, areas, observations and loads, as JSON or CSV (plain functions, run by
Starlette in its thread pool)."""

from __future__ import annotations

from functools import lru_cache

import pandas as pd
from starlette.requests import Request
from starlette.responses import JSONResponse, Response

from provdata.basics import clock, config
from provdata.basics.sheets import safe_frame
from provdata.views import ages
from provdata.warehouse import queries
from provdata.warehouse.db import Warehouse
from provdata.web.api.common import (
    DEFAULT_LIMIT,
    MAX_LIMIT,
    VERSION,
    BadRequest,
    _guard,
    _int,
    _one,
    _params,
    warehouse,
)


@lru_cache(maxsize=4)
def _known(build_id: str) -> tuple[frozenset[str], frozenset[str]]:
    """Indicator ids and province codes of a build (to check parameters without a query per request)."""
    wh = warehouse()
    return frozenset(queries.indicators(wh).id), frozenset(queries.provinces(wh).code)


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


def _ages(frame: pd.DataFrame, wh: Warehouse, year: str, prefix: str = "") -> pd.DataFrame:
    """``frame`` with the release calendar's judgement of the figure of ``frame[year]`` for each row's
    ``indicator_id`` on today's date (views.ages.fields): ``status``, ``current``, ``overdue_since``,
    ``missing_years`` ("2021,2022"), ``next_expected_year``, ``next_expected_by`` (each after ``prefix``)."""
    calendar = queries.calendar(wh, clock.today())
    rows = [
        ages.fields(ages.status(calendar, i, y))
        for i, y in zip(frame["indicator_id"], frame[year], strict=True)
    ]
    extra = pd.DataFrame(rows, index=frame.index, columns=ages.FIELDS)
    extra["missing_years"] = [",".join(map(str, m)) for m in extra["missing_years"]]
    extra["next_expected_year"] = extra["next_expected_year"].astype("Int64")
    return pd.concat([frame, extra.add_prefix(prefix)], axis=1)


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
    frame = _ages(frame.assign(indicator_id=frame["id"]), wh, "last_year").drop(columns="indicator_id")
    return _table(frame, fmt, _meta(wh, count=len(frame), as_of=clock.today().isoformat()))


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
    params = _params(request, {"format", "indicator", "province", "from", "to", "limit", "offset"},
                     lists=frozenset({"indicator", "province"}))  # fmt: skip
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
    frame = _ages(frame, wh, "series_latest_year", "series_")
    meta = _meta(wh, count=len(frame), total=total, limit=limit, offset=offset,
                 sources_url="/api/v1/indicators", years="Gregorian (ค.ศ.)",
                 as_of=clock.today().isoformat())  # fmt: skip
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
