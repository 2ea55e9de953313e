"""provdata.basics.clock: one injectable today."""

from __future__ import annotations

import datetime as dt

import pytest

from provdata.basics import clock


def test_the_setting_pins_the_day(today):
    today("2027-04-01")
    assert clock.today() == dt.date(2027, 4, 1)
    today("2026-01-15")
    assert clock.today() == dt.date(2026, 1, 15)


def test_without_the_setting_it_is_the_machines_date(monkeypatch):
    monkeypatch.delenv("PROVDATA_TODAY")
    assert clock.today() == dt.date.today()


@pytest.mark.parametrize("bad", ["2027-02-30", "1/4/2027", "2027-4-1", "tomorrow"])
def test_a_bad_value_is_refused_naming_the_setting(today, bad):
    today("2027-04-01")
    import os

    os.environ["PROVDATA_TODAY"] = bad  # monkeypatch restores it
    with pytest.raises(clock.BadToday) as err:
        clock.today()
    assert str(err.value).startswith(f"PROVDATA_TODAY={bad!r} is not a date written YYYY-MM-DD")
