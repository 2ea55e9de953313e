"""Writes applied to the warehouse in place (provdata/warehouse/build/incremental.py) make, table for table, what a
full build at the same sequence makes: after publishes, a revision, a rollback, a chain edit and a plan edit on the
writer's host, and on a second host that applies them all at once; and a host falls back to the full build when
the store's list of changes has a gap or a change of another kind, or the release's files changed."""

from __future__ import annotations

import shutil
from pathlib import Path

import duckdb
import pandas as pd
import pytest

from provdata import accounts
from provdata.basics.errors import BuildError
from provdata.exchange import chain_edits, follow, publish
from provdata.store import publications
from provdata.warehouse.build import build_warehouse
from tests.conftest import PASSWORD, figure_in

POP = "population_registered"


def tables(path: Path) -> dict[str, list[str]]:
    """Every table's rows, sorted, as text; without the times the file was written (meta.built_at, and the
    shipped loads' loaded_at, which is the build's time)."""
    con = duckdb.connect(str(path), read_only=True)
    try:
        names = [
            r[0]
            for r in con.execute("SELECT table_name FROM information_schema.tables ORDER BY 1").fetchall()
        ]
        out = {}
        for name in names:
            frame = con.execute(f'SELECT * FROM "{name}"').df()  # noqa: S608 - names from the catalog
            if name == "meta":
                frame = frame.drop(columns=["built_at"])
            if name == "load":
                frame["loaded_at"] = frame["loaded_at"].where(frame["id"] > 100)
            frame = frame.astype(object).where(frame.notna(), None)
            out[name] = sorted(repr(tuple(r)) for r in frame.itertuples(index=False))
        return out
    finally:
        con.close()


def assert_as_full_build(warehouse: Path, env, tmp_path: Path) -> None:
    full = tmp_path / f"full-{publications.sequence()}.duckdb"
    build_warehouse(full, env.inputs, log=lambda _m: None)  # from the store, at its sequence
    got, want = tables(warehouse), tables(full)
    assert set(got) == set(want)
    for name in want:
        assert got[name] == want[name], name
    assert publications.warehouse_sequence(warehouse) == publications.sequence()


def rebuilt_here(env) -> None:
    """The exchange env's warehouse is a copy made in another folder (its shipped loads name that folder's files):
    build it again here, so that it is the full build of these inputs."""
    build_warehouse(env.warehouse, env.inputs, log=lambda _m: None)


def rows(cells: dict[tuple[str, int], float]) -> pd.DataFrame:
    return pd.DataFrame(
        [{"province_code": c, "year": y, "indicator_id": POP, "value": v} for (c, y), v in cells.items()]
    )


def publish_rows(env, cells, name: str) -> tuple[int, list[str]]:
    said: list[str] = []
    steward = accounts.verify("dopa-steward", PASSWORD)
    result = publish.publish(rows(cells), b"raw " + name.encode(), name, steward, rows_in=len(cells), rows_rejected=0,
                             license="test licence", target=env.warehouse, inputs=env.inputs, log=said.append)  # fmt: skip
    return result.load_id, said


def value(path: Path, code: str, year: int) -> tuple | None:
    return figure_in(path, POP, code, year)


def test_writes_applied_in_place_equal_a_full_build_on_the_writer_and_on_a_host_behind(
    state_backend, exchange_env, tmp_path
):
    env = exchange_env
    rebuilt_here(env)
    held = env.held_back
    host_b = tmp_path / "b" / "warehouse.duckdb"
    host_b.parent.mkdir()
    shutil.copy(env.warehouse, host_b)  # another host, at sequence 0, following the same store

    first, said = publish_rows(env, {k: v for k, v in held.items()}, "pop.csv")
    assert any(line.startswith(f"applied publication(s) {first} ") for line in said), said
    assert value(env.warehouse, "60", 2020) == (held["60", 2020], first)
    assert_as_full_build(env.warehouse, env, tmp_path)

    # a revision of one cell: the first figure becomes a vintage
    revised, said = publish_rows(env, {("60", 2020): held["60", 2020] + 1}, "revised.csv")
    assert any("applied" in line for line in said), said
    assert value(env.warehouse, "60", 2020) == (held["60", 2020] + 1, revised)
    assert_as_full_build(env.warehouse, env, tmp_path)

    # the first publication rolled back: its figures go, the revision stays current with nothing under it
    admin = accounts.verify("admin", PASSWORD)
    said = []
    publish.rollback(first, admin, target=env.warehouse, inputs=env.inputs, log=said.append)
    assert any("applied" in line for line in said), said
    assert value(env.warehouse, "60", 2020) == (held["60", 2020] + 1, revised)
    assert value(env.warehouse, "62", 2019) is None
    assert_as_full_build(env.warehouse, env, tmp_path)

    # a planner's chain edit and plan progress
    frames = chain_edits.province_frames(env.inputs.strategy_dir, "61")
    frames["issues"].loc[frames["issues"].issue_id == "agri", "title_en"] = "Uthai Thani's own rice plan"
    result = chain_edits.save_province(
        "61", frames, admin, env.inputs.strategy_dir, env.inputs, env.warehouse
    )
    assert result.incremental
    assert_as_full_build(env.warehouse, env, tmp_path)
    progress = pd.DataFrame({"link": ["Annual mean PM2.5 concentration"], "status": ["in_progress"],
                             "note": ["PCD station data requested"]})  # fmt: skip
    result = chain_edits.save_plan_status(
        "60", progress, admin, env.inputs.strategy_dir, env.inputs, env.warehouse
    )
    assert result.incremental
    assert_as_full_build(env.warehouse, env, tmp_path)
    assert publications.sequence() == 5

    # host B, five changes behind, applies them all at once, to the same tables and the same build id
    result = follow.catch_up(host_b, env.inputs, say=lambda _m: None)
    assert result is not None and result.incremental
    assert tables(host_b) == tables(env.warehouse)
    assert_as_full_build(host_b, env, tmp_path)


def test_a_bad_chain_row_is_named_and_nothing_is_written(exchange_env):
    env = exchange_env
    admin = accounts.verify("admin", PASSWORD)
    frames = chain_edits.province_frames(env.inputs.strategy_dir, "61")
    frames["links"].loc[0, "indicator_id"] = "no_such_indicator"
    before = env.warehouse.read_bytes()
    with pytest.raises(BuildError, match=r"sheet links, row 1, column indicator_id"):
        chain_edits.save_province("61", frames, admin, env.inputs.strategy_dir, env.inputs, env.warehouse)
    assert env.warehouse.read_bytes() == before and publications.sequence() == 0


def _bump(kind: str, **keys) -> None:
    from provdata import store

    with store.current().transaction() as tx:
        publications.bump_sequence(tx, kind, **keys)


def test_a_host_rebuilds_in_full_after_a_change_of_another_kind_a_gap_or_new_release_files(
    exchange_env, tmp_path
):
    env = exchange_env
    rebuilt_here(env)
    load_id, _said = publish_rows(env, {("60", 2020): env.held_back["60", 2020]}, "pop.csv")
    host_b = tmp_path / "b.duckdb"
    shutil.copy(env.warehouse, host_b)  # at sequence 1

    _bump("indicator", indicator="x")  # a kind not applied in place
    result = follow.catch_up(host_b, env.inputs, say=lambda _m: None)
    assert result is not None and not result.incremental
    assert_as_full_build(host_b, env, tmp_path)

    _bump("publish", load=load_id)
    from provdata import store

    with store.current().transaction() as tx:  # the change was made by a release that did not record it
        tx.execute("DELETE FROM warehouse_change WHERE seq = 3")
    result = follow.catch_up(host_b, env.inputs, say=lambda _m: None)
    assert result is not None and not result.incremental

    _bump("publish", load=load_id)  # known, and listed: in place
    result = follow.catch_up(host_b, env.inputs, say=lambda _m: None)
    assert result is not None and result.incremental
    assert_as_full_build(host_b, env, tmp_path)

    # a new release's files (one more line at the end of a shipped file)
    (env.inputs.seed_dir / "sources.csv").write_bytes(
        (env.inputs.seed_dir / "sources.csv").read_bytes() + b"\n"
    )
    _bump("publish", load=load_id)
    result = follow.catch_up(host_b, env.inputs, say=lambda _m: None)
    assert result is not None and not result.incremental
    assert_as_full_build(host_b, env, tmp_path)


def test_incremental_off_rebuilds_every_write(exchange_env, monkeypatch, tmp_path):
    monkeypatch.setenv("PROVDATA_INCREMENTAL", "0")
    env = exchange_env
    rebuilt_here(env)
    _load, said = publish_rows(env, {("60", 2020): env.held_back["60", 2020]}, "pop.csv")
    assert not any("applied" in line for line in said)
    assert_as_full_build(env.warehouse, env, tmp_path)


def test_a_publication_naming_an_unknown_area_is_refused_in_place_as_in_full(exchange_env):
    env = exchange_env
    before = env.warehouse.read_bytes()
    steward = accounts.verify("dopa-steward", PASSWORD)
    bad = rows({("99", 2020): 1.0})
    with pytest.raises(BuildError, match=r"publication 101: population_registered 99 2020 names an unknown"):
        publish.publish(bad, b"raw", "bad.csv", steward, rows_in=1, rows_rejected=0, license="test licence",
                        target=env.warehouse, inputs=env.inputs)  # fmt: skip
    assert env.warehouse.read_bytes() == before and publications.sequence() == 0
