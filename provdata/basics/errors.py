"""Typed errors with a user-facing title, a body that says what to do, and the technical cause.

The UI renders them localised through their ``key`` (see provdata/basics/locales); the CLI prints the
English text. Anything that is not a ProvdataError is a bug and must surface.
"""

from __future__ import annotations


class ProvdataError(Exception):
    """Base of the project's own errors.

    ``key`` names the locale strings ``errors.<key>.title`` and ``errors.<key>.body``; ``params``
    fill their placeholders. ``detail`` is technical text (file, line, value) shown as is.
    """

    key = "generic"

    def __init__(self, detail: str = "", **params: object) -> None:
        super().__init__(detail)
        self.detail = detail
        self.params = params

    def __str__(self) -> str:  # the CLI prints this
        return self.detail or self.__class__.__name__


class WarehouseMissing(ProvdataError):
    key = "warehouse_missing"


class WarehouseCorrupt(ProvdataError):
    key = "warehouse_corrupt"


class WarehouseSynthetic(ProvdataError):
    """The file holds synthetic scale-test data; the app shows it only when asked to."""

    key = "warehouse_synthetic"


class BuildError(ProvdataError):
    """The seed data has bad rows; ``problems`` lists each with file, line, column and value."""

    key = "build_failed"

    def __init__(self, problems: list[str]) -> None:
        self.problems = problems
        shown = problems[:20]
        more = len(problems) - len(shown)
        text = "\n".join(f"- {p}" for p in shown)
        if more > 0:
            text += f"\n- … and {more} more"
        super().__init__(
            f"The warehouse was not built ({len(problems)} problem(s)); the previous warehouse, "
            f"if any, is unchanged. Fix these rows and run `make warehouse` again:\n{text}"
        )


class UnknownArea(ProvdataError):
    key = "unknown_area"


class UnknownIndicator(ProvdataError):
    key = "unknown_indicator"


class Busy(ProvdataError):
    """Too much of one kind of work is in flight (uploads of one account or of the whole server): try again later.

    ``status``: 429 (this account's share is full) or 503 (the server's); ``retry_after``: seconds."""

    key = "busy"

    def __init__(self, detail: str, status: int, retry_after: int) -> None:
        super().__init__(detail)
        self.status, self.retry_after = status, retry_after


class OverLimit(ProvdataError):
    """Input past a stated limit (rows of a chain, cells of a workbook): ``detail`` names the limit and the count."""

    key = "over_limit"
