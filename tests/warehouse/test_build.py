"""The loader: exact figures in, bad rows out with file/line/column/value, old warehouse kept."""

from __future__ import annotations

import hashlib
import tomllib

import duckdb
import pytest

from provdata.basics import config
from provdata.basics.errors import BuildError
from provdata.warehouse.build import build_warehouse
from tests.conftest import ROOT, tiny_inputs


def _sha(path):
    return hashlib.sha256(path.read_bytes()).hexdigest()


def test_tiny_warehouse_holds_exact_published_figures(tiny_warehouse):
    con = duckdb.connect(str(tiny_warehouse), read_only=True)
    try:
        value = con.execute(
            "SELECT value FROM observation WHERE indicator_id='gpp_current_mb' AND area_code='60' AND year=2020"
        ).fetchone()[0]
        assert value == 111440.702788
        pop = con.execute(
            "SELECT value FROM observation WHERE indicator_id='population_registered' AND area_code='60' AND year=2013"
        ).fetchone()[0]
        assert pop == 1073142.0
        types = dict(
            con.execute(
                "SELECT column_name, data_type FROM duckdb_columns() WHERE table_name='observation'"
            ).fetchall()
        )
        assert types["value"] == "DOUBLE" and types["year"] == "INTEGER"
        assert (
            con.execute("SELECT count(*) FROM area WHERE level='province' AND cohort='pilot'").fetchone()[0]
            == 10
        )
        # Nakhon Sawan's districts come from the real boundaries, with Thai names
        assert con.execute("SELECT name_th FROM area WHERE code='6001'").fetchone()[0] == "เมืองนครสวรรค์"
        meta = con.execute("SELECT schema_version, synthetic FROM meta").fetchone()
        assert meta == (config.SCHEMA_VERSION, False)
        loads = con.execute(
            "SELECT file_name, rows_in, rows_accepted, rows_rejected FROM load ORDER BY id"
        ).fetchall()
        assert [row[1] == row[2] for row in loads] == [True, True] and all(row[3] == 0 for row in loads)
    finally:
        con.close()


def test_real_warehouse_counts(real_warehouse):
    con = duckdb.connect(str(real_warehouse), read_only=True)
    try:
        counts = dict(con.execute("SELECT level, count(*) FROM area GROUP BY level").fetchall())
        assert counts == {"province": 77, "district": 928}
        # 30 from data/seed, the rest declared by the recipes of data/recipes/
        recipes = [
            tomllib.loads(p.read_text(encoding="utf-8")) for p in (ROOT / "data" / "recipes").glob("*.toml")
        ]
        declared = sum(len(r.get("indicator", [])) for r in recipes)
        assert con.execute("SELECT count(*) FROM indicator").fetchone()[0] == 30 + declared
        # every indicator has Thai and English names and units
        assert (
            con.execute(
                "SELECT count(*) FROM indicator WHERE name_th = '' OR name_en = '' OR unit_th = '' OR unit_en = ''"
            ).fetchone()[0]
            == 0
        )
        n_prov = con.execute(
            "SELECT count(*) FROM observation o JOIN area a ON a.code = o.area_code "
            "WHERE a.level='province' AND o.load_id = 1"
        ).fetchone()[0]
        n_dist = con.execute(
            "SELECT count(*) FROM observation o JOIN area a ON a.code = o.area_code WHERE a.level='district'"
        ).fetchone()[0]
        # data rows of observations.csv less the 539 province-years 2014-2020 of population_registered that DOPA's
        # December files (first in its precedence, identical figures) give; district_observations.csv's rows plus
        # DOPA's 928 districts × 11 years × 4 measures
        assert (n_prov, n_dist) == (26418 - 539, 3207 + 928 * 11 * 4)
        assert (
            con.execute(
                "SELECT count(DISTINCT area_code) FROM observation WHERE area_code LIKE '____'"
            ).fetchone()[0]
            == 928
        )
    finally:
        con.close()


def _replace_line(path, line_no, new_text):
    lines = path.read_text(encoding="utf-8").splitlines()
    lines[line_no - 1] = new_text
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")


@pytest.mark.parametrize(
    ("bad_line", "expected"),
    [
        (
            "99,2020,gpp_current_mb,1,nesdc_gpp_econvis",
            "line 2, column province_code: '99' is not a known area code",
        ),
        ("60,2020,gpp_current_mb,abc,nesdc_gpp_econvis", "line 2, column value: 'abc' is not a number"),
        ("60,2563,gpp_current_mb,1,nesdc_gpp_econvis", "line 2, column year: '2563' is outside 1900"),
        ("60,1850,gpp_current_mb,1,nesdc_gpp_econvis", "line 2, column year: '1850' is outside 1900"),
        ("60,2020,no_such_indicator,1,nesdc_gpp_econvis", "line 2, column indicator_id: 'no_such_indicator'"),
    ],
)
def test_bad_row_fails_the_build_and_keeps_the_old_warehouse(tiny_copy, tmp_path, bad_line, expected):
    target = tmp_path / "wh.duckdb"
    build_warehouse(target, tiny_inputs(tiny_copy), log=lambda _m: None)
    before = _sha(target)
    _replace_line(tiny_copy / "seed" / "observations.csv", 2, bad_line)
    with pytest.raises(BuildError) as err:
        build_warehouse(target, tiny_inputs(tiny_copy), log=lambda _m: None)
    message = str(err.value)
    assert "observations.csv " + expected in message
    assert "run `make warehouse` again" in message
    assert _sha(target) == before
    assert [p.name for p in tmp_path.iterdir() if p.name.endswith(".tmp")] == []


def test_duplicate_key_names_both_lines(tiny_copy, tmp_path):
    obs = tiny_copy / "seed" / "observations.csv"
    lines = obs.read_text(encoding="utf-8").splitlines()
    lines.append(lines[5])
    obs.write_text("\n".join(lines) + "\n", encoding="utf-8")
    with pytest.raises(BuildError) as err:
        build_warehouse(tmp_path / "wh.duckdb", tiny_inputs(tiny_copy), log=lambda _m: None)
    assert f"line {len(lines)}" in str(err.value) and "duplicate of line 6" in str(err.value)
    assert not (tmp_path / "wh.duckdb").exists()


def test_missing_thai_label_is_reported(tiny_copy, tmp_path):
    labels = tiny_copy / "reference" / "indicator_labels.csv"
    kept = [ln for ln in labels.read_text(encoding="utf-8").splitlines() if not ln.startswith("dhf_cases,")]
    labels.write_text("\n".join(kept) + "\n", encoding="utf-8")
    with pytest.raises(BuildError, match="'dhf_cases' has no Thai name and unit"):
        build_warehouse(tmp_path / "wh.duckdb", tiny_inputs(tiny_copy), log=lambda _m: None)


def test_cli_build_reports_bad_row_and_exits_2(tiny_copy, tmp_path, capsys, monkeypatch):
    from provdata.cli.main import main
    from provdata.warehouse.build import run as build_run  # build_warehouse looks Inputs up there

    _replace_line(
        tiny_copy / "seed" / "observations.csv", 3, "60,2020,gpp_current_mb,1,2,3,nesdc_gpp_econvis"
    )
    monkeypatch.setattr(build_run, "Inputs", lambda: tiny_inputs(tiny_copy))
    assert main(["build", "--out", str(tmp_path / "wh.duckdb")]) == 2
    err = capsys.readouterr().err
    assert "observations.csv line 3" in err


@pytest.mark.parametrize(
    ("line_no", "new", "column", "expected"),
    [
        (
            7,
            "no_such_source,annual,shipped_files,,not_known,x",
            "source_id",
            "'no_such_source' is not a source",
        ),
        (
            7,
            "nesdc_gpp_econvis,yearly,shipped_files,,not_known,x",
            "periodicity",
            "'yearly' must be one of annual",
        ),
        (7, "nesdc_gpp_econvis,annual,shipped_files,12,not_known,x", "lag_from", "a lag is given"),
        (
            7,
            "nesdc_gpp_econvis,annual,shipped_files,ten,shipped_files,x",
            "lag_months",
            "'ten' must be a whole number",
        ),
        (7, "nesdc_gpp_econvis,annual,shipped_files,,not_known,", "note_en", "empty"),
    ],
)
def test_bad_release_calendar_rows_fail_the_build_naming_file_line_and_column(
    tiny_copy, tmp_path, line_no, new, column, expected
):
    path = tiny_copy / "reference" / "release_calendar.csv"
    lines = path.read_text(encoding="utf-8").splitlines()
    assert lines[line_no - 1].startswith("nesdc_gpp_econvis,")
    lines[line_no - 1] = new
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    with pytest.raises(BuildError) as err:
        build_warehouse(tmp_path / "wh.duckdb", tiny_inputs(tiny_copy), log=lambda _m: None)
    assert f"release_calendar.csv line {line_no}, column {column}: " in str(err.value)
    assert expected in str(err.value)


def test_a_source_without_a_calendar_row_fails_the_build(tiny_copy, tmp_path):
    path = tiny_copy / "reference" / "release_calendar.csv"
    lines = [
        x for x in path.read_text(encoding="utf-8").splitlines() if not x.startswith("mots_tourism_econvis,")
    ]
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    with pytest.raises(BuildError, match="column source_id: 'mots_tourism_econvis' has no row"):
        build_warehouse(tmp_path / "wh.duckdb", tiny_inputs(tiny_copy), log=lambda _m: None)


def test_the_calendar_is_in_the_warehouse(tiny_warehouse):
    from provdata.warehouse import queries
    from provdata.warehouse.db import Warehouse

    cal = queries.release_calendar(Warehouse(tiny_warehouse)).set_index("source_id")
    assert len(cal) == 13
    pop = cal.loc["dopa_pop_senior_spatial"]
    assert (pop.agency_id, pop.periodicity, pop.lag_months, pop.lag_from) == (
        "dopa",
        "annual",
        1,
        "agency_schedule",
    )
    assert cal.loc["nesdc_gpp_econvis"].lag_from == "not_known"
