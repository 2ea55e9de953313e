"""The OpenAPI 3.1 document of this API (``OPENAPI``) and its route, ``GET /api/v1/openapi.json``."""

from __future__ import annotations

from starlette.requests import Request
from starlette.responses import JSONResponse, Response

from provdata.web.api.common import MAX_LIMIT


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
                "description": "With its release calendar judged on meta.as_of (today) for its last year: "
                "status (current, out_of_date, no_schedule, superseded, no_figure), current, overdue_since, missing_years, "
                "next_expected_year, next_expected_by.",
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
                "description": "Each figure with its year and the latest year of its series (series_latest_year), "
                "and the series judged by the release calendar on meta.as_of (today): series_status, "
                "series_current, series_overdue_since, series_missing_years, series_next_expected_year, "
                "series_next_expected_by.",
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
                        "SPELLING=CODE: confirm a province spelling the answer proposed (kept for the agency); "
                        "a confirmation the matcher did not propose is refused unless an admin overrides",
                        {"type": "array", "items": {"type": "string"}},
                        explode=True,
                    ),
                    _q("dry_run", "check only", {"type": "boolean"}),
                    _q("accept_flagged", "publish large revisions too", {"type": "boolean"}),
                    _q("license", "licence of the figures", {"type": "string"}),
                    _q("note", "a note kept with the publication (commas and all)", {"type": "string"}),
                    _q(
                        "override_names",
                        "admins: take name confirmations the matcher did not propose (audited)",
                        {"type": "boolean"},
                    ),
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
                    "403": _ERROR,
                    "408": _ERROR,
                    "413": _ERROR,
                    "422": _ERROR,
                    "429": _ERROR,
                    "503": {
                        "description": "the state store cannot be reached (nothing was written) or the server is "
                        "not configured correctly: try again after Retry-After seconds",
                        "headers": {"Retry-After": {"schema": {"type": "integer"}}},
                        "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Error"}}},
                    },
                },
            }
        },
        "/api/v1/follow-up": {
            "get": {
                "summary": "A province's follow-up register",
                "description": "The flags of its key indicators, each with its rule (off_track, worse_than_median "
                "of the pilot or of all provinces, significant_change; computed from the figures), the actions "
                "recorded on them with owner, due date, status and a review line computed from the figures "
                "(before and after, moved in the expected direction or not, flag cleared or not — never a claim "
                "that the action caused the move), overdue actions first, and the flags without an open action. "
                "CSV: one row per flag and per action.",
                "parameters": [
                    _FORMAT,
                    _q("province", "a 2-digit DOPA code, e.g. 60", {"type": "string"}, True),
                    _q(
                        "lang",
                        "en (default) or th: the language of rules and review lines",
                        {"type": "string", "enum": ["en", "th"]},
                    ),
                ],
                "responses": {"200": _TABLE, "400": _ERROR},
            }
        },
        "/api/v1/actions": {
            "post": {
                "summary": "Record an action on a key indicator (a planner of the province, or an admin)",
                "security": [{"bearer": []}],
                "requestBody": {
                    "required": True,
                    "content": {"application/json": {"schema": {"$ref": "#/components/schemas/NewAction"}}},
                },
                "responses": {
                    "201": {"description": "recorded (and audited)"},
                    "401": _ERROR,
                    "403": _ERROR,
                    "413": _ERROR,
                    "422": _ERROR,
                    "429": _ERROR,
                    "503": _ERROR,
                },
            }
        },
        "/api/v1/actions/{action_id}": {
            "post": {
                "summary": "Change an action: status (planned → under_way → done, or dropped with a reason), due "
                "date, owner, text or expected direction",
                "security": [{"bearer": []}],
                "parameters": [
                    {
                        "name": "action_id",
                        "in": "path",
                        "required": True,
                        "schema": {"type": "integer", "minimum": 1},
                    }
                ],
                "requestBody": {
                    "required": True,
                    "content": {
                        "application/json": {"schema": {"$ref": "#/components/schemas/ActionChange"}}
                    },
                },
                "responses": {
                    "200": {"description": "changed (and audited)"},
                    "401": _ERROR,
                    "403": _ERROR,
                    "404": _ERROR,
                    "413": _ERROR,
                    "422": _ERROR,
                    "429": _ERROR,
                    "503": _ERROR,
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
            "NewAction": {
                "type": "object",
                "required": [
                    "province",
                    "indicator_id",
                    "what",
                    "agency_id",
                    "due_date",
                    "expected_direction",
                ],
                "properties": {
                    "province": {"type": "string", "description": "2-digit DOPA code"},
                    "indicator_id": {
                        "type": "string",
                        "description": "a key indicator of the province's chain",
                    },
                    "what": {"type": "string", "maxLength": 500},
                    "agency_id": {
                        "type": "string",
                        "description": "the owning agency (GET /api/v1/indicators "
                        "names agencies; data/reference/agencies.csv lists them)",
                    },
                    "due_date": {
                        "type": "string",
                        "format": "date",
                        "description": "YYYY-MM-DD, not before today",
                    },
                    "expected_direction": {"type": "string", "enum": ["increase", "decrease"]},
                },
            },
            "ActionChange": {
                "type": "object",
                "properties": {
                    "status": {"type": "string", "enum": ["planned", "under_way", "done", "dropped"]},
                    "dropped_reason": {"type": "string", "maxLength": 500},
                    "due_date": {"type": "string", "format": "date"},
                    "agency_id": {"type": "string"},
                    "what": {"type": "string", "maxLength": 500},
                    "expected_direction": {"type": "string", "enum": ["increase", "decrease"]},
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
