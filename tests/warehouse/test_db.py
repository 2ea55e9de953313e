"""Read-only connection: threads at once, a publish under readers, missing and corrupt files."""

from __future__ import annotations

import threading

import pytest

from provdata import store
from provdata.basics.errors import WarehouseCorrupt, WarehouseMissing
from provdata.store import publications
from provdata.warehouse import queries
from provdata.warehouse.build import build_warehouse
from provdata.warehouse.db import Warehouse
from tests.conftest import tiny_inputs


def test_many_threads_query_one_warehouse(tiny_warehouse):
    wh = Warehouse(tiny_warehouse)
    errors, results = [], []

    def work(code):
        try:
            for _ in range(25):
                frame = queries.series(wh, ["population_registered"], [code])
                results.append((code, len(frame)))
        except Exception as exc:
            errors.append(repr(exc))

    threads = [
        threading.Thread(target=work, args=(c,)) for c in ["60", "61", "62", "14", "15", "16", "17", "18"]
    ]
    for th in threads:
        th.start()
    for th in threads:
        th.join()
    assert errors == []
    assert len(results) == 200
    assert {n for _code, n in results} == {19}  # 2002-2020


def test_readers_follow_a_new_publish(tmp_path, monkeypatch):
    monkeypatch.setenv("PROVDATA_STATE", str(tmp_path / "state"))
    target = tmp_path / "wh.duckdb"
    first = build_warehouse(target, tiny_inputs(), log=lambda _m: None)
    wh = Warehouse(target)
    assert wh.build_id == first.build_id
    again = build_warehouse(tmp_path / "other.duckdb", tiny_inputs(), log=lambda _m: None)
    assert again.build_id == first.build_id  # the same state: the same id on every host
    with store.current().transaction() as tx:  # a change to the state (as a publish makes)
        publications.bump_sequence(tx)
    second = build_warehouse(target, tiny_inputs(), log=lambda _m: None)
    assert second.build_id != first.build_id
    assert wh.build_id == second.build_id
    assert len(queries.provinces(wh)) == 12


def test_missing_and_corrupt_files_raise_project_errors(tmp_path):
    with pytest.raises(WarehouseMissing):
        _ = Warehouse(tmp_path / "none.duckdb").build_id
    bad = tmp_path / "bad.duckdb"
    bad.write_bytes(b"this is not a duckdb file" * 100)
    with pytest.raises(WarehouseCorrupt):
        _ = Warehouse(bad).build_id
