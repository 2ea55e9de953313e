"""The API's answers to a write the state store could not confirm: JSON 503 with the store's own words — "not made",
or "may have been made" after a COMMIT whose answer was lost (tests/exchange/test_audit_atomic.py makes both)."""

from __future__ import annotations

import json

from provdata import accounts
from provdata.store.postgres import CommitUnknown, StoreUnavailable
from provdata.web.api.common import _answer


def test_a_write_the_store_did_not_confirm_is_a_json_503_saying_which():
    for exc in (StoreUnavailable("… this write was not made: try again when the database is back"),
                CommitUnknown("… (write 1a2b): it may have been made. Look at the audit log …")):  # fmt: skip
        answer = _answer(exc)
        assert answer.status_code == 503 and answer.headers["retry-after"] == "30"
        assert json.loads(answer.body)["error"]["message"] == str(exc)


def test_a_locked_out_address_is_a_429_with_retry_after():
    answer = _answer(
        accounts.SignInLocked("too many failed sign-ins from this address: try again in 17 s", 17)
    )
    assert answer.status_code == 429 and answer.headers["retry-after"] == "17"
    assert json.loads(answer.body)["error"] == {
        "status": 429,
        "message": "too many failed sign-ins from this address: try again in 17 s",
        "parameter": "Authorization",
    }
