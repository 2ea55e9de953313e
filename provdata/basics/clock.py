"""Today's date, from one place: every judgement of "current", "overdue" and "the deadline has passed" asks
:func:`today`, so a test can set the day and the app is right next year too.

The environment setting ``PROVDATA_TODAY=YYYY-MM-DD`` pins the day (a demonstration, a test, a report drawn
"as of" a date); without it the day is the machine's local date.
"""

from __future__ import annotations

import datetime as dt
import os
import re

from provdata.basics.errors import ProvdataError

#: The environment setting that pins today's date.
SETTING = "PROVDATA_TODAY"

_ISO_DATE = re.compile(r"\d{4}-\d{2}-\d{2}")


class BadToday(ProvdataError):
    """``PROVDATA_TODAY`` holds something that is not a date."""


def today() -> dt.date:
    """Today: ``PROVDATA_TODAY`` when set (``YYYY-MM-DD``), else the machine's date.

    A bad value is refused (:class:`BadToday`, naming the setting) rather than silently ignored: a wrong
    clock would call figures current or overdue on the wrong day."""
    raw = os.environ.get(SETTING, "").strip()
    if not raw:
        return dt.date.today()
    if _ISO_DATE.fullmatch(raw):
        try:
            return dt.date.fromisoformat(raw)
        except ValueError:
            pass
    raise BadToday(
        f"{SETTING}={raw!r} is not a date written YYYY-MM-DD (for example 2027-03-01); "
        "unset it to use the machine's date"
    )
