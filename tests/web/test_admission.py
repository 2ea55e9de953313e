"""The upload gate: each account's share and the process's, refused at once with the limit named."""

from __future__ import annotations

import pytest

from provdata.basics.errors import Busy
from provdata.web import admission


def test_an_accounts_second_upload_is_refused_429_while_another_account_goes_on(monkeypatch):
    monkeypatch.setenv("PROVDATA_UPLOADS_PER_ACCOUNT", "1")
    monkeypatch.setenv("PROVDATA_UPLOADS_AT_ONCE", "5")
    with admission.account_slot("dopa-steward"):
        with pytest.raises(Busy) as err, admission.account_slot("dopa-steward"):
            pass
        assert (err.value.status, err.value.retry_after) == (429, 10)
        assert str(err.value) == (
            "account dopa-steward already has 1 upload(s) in flight (the limit is 1 per account, "
            "PROVDATA_UPLOADS_PER_ACCOUNT): send the next one when it is answered, in about 10 s"
        )
        with admission.account_slot("nesdc-steward"):
            assert admission.in_flight()[1] == {"dopa-steward": 1, "nesdc-steward": 1}
    assert admission.in_flight() == (0, {})
    with admission.account_slot("dopa-steward"):  # the slot came back
        pass


def test_the_process_checks_at_most_its_limit_at_once_and_answers_503(monkeypatch):
    monkeypatch.setenv("PROVDATA_UPLOADS_AT_ONCE", "2")
    with admission.upload_slot("a"), admission.upload_slot("b"):
        assert admission.in_flight()[0] == 2
        with pytest.raises(Busy) as err, admission.upload_slot("c"):
            pass
        assert err.value.status == 503
        assert str(err.value) == (
            "the server is checking 2 upload(s) (the limit is 2 at once, PROVDATA_UPLOADS_AT_ONCE): send the file "
            "again in about 10 s"
        )
        assert admission.in_flight() == (2, {"a": 1, "b": 1})  # the refused one took nothing
    assert admission.in_flight() == (0, {})


def test_a_slot_is_given_back_when_the_check_fails(monkeypatch):
    monkeypatch.setenv("PROVDATA_UPLOADS_PER_ACCOUNT", "1")
    with pytest.raises(ValueError), admission.upload_slot("a"):
        raise ValueError("a bad file")
    assert admission.in_flight() == (0, {})
