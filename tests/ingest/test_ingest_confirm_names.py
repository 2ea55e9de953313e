"""Names as agencies write them: a spelling with one clear close match is proposed, confirmed on the command line
(--name, repeatable), kept as that agency's alias under the state folder, and the agency's next file passes. On
the command line, once some columns are mapped, the others are skipped and listed."""

from __future__ import annotations

from provdata.cli.main import main
from provdata.ingest import aliases
from tests.conftest import PASSWORD

POP = "population_registered"


def population_csv(env, tail: str = "") -> str:
    held = env.held_back
    return (
        "province,2019,2020\n"
        f"NAKORN SAWAN,{held[('60', 2019)]:.0f},{held[('60', 2020)]:.0f}\n"
        f"Kampangphet,{held[('62', 2019)]:.0f},{held[('62', 2020)]:.0f}\n{tail}"
    )


def run(capsys, *args) -> tuple[int, str]:
    code = main(["ingest", *map(str, args)])
    out = capsys.readouterr()
    return code, out.out + out.err


def test_confirmed_spellings_are_kept_for_the_agency_and_its_next_file_passes(
    exchange_env, capsys, monkeypatch
):
    monkeypatch.setenv("PROVDATA_PASSWORD", PASSWORD)
    path = exchange_env.base / "dopa.csv"
    path.write_text(population_csv(exchange_env), encoding="utf-8")

    code, text = run(capsys, path, "--indicator", POP, "--steward", "dopa-steward", "--dry-run")
    assert code == 0
    assert "accepted: 0, flagged: 0, unchanged: 0, rejected: 2, skipped: 0" in text
    assert (
        "proposed: 'NAKORN SAWAN' looks like province 60: confirm it with --name \"NAKORN SAWAN=60\"" in text
    )
    assert "proposed: 'Kampangphet' looks like province 62: confirm it with --name \"Kampangphet=62\"" in text

    code, text = run(capsys, path, "--indicator", POP, "--steward", "dopa-steward",
                     "--name", "NAKORN SAWAN=60", "--name", "Kampangphet=62")  # fmt: skip
    assert code == 0, text
    assert "accepted: 4, flagged: 0, unchanged: 0, rejected: 0, skipped: 0" in text
    assert "note: province name 'NAKORN SAWAN' matched to 60 by a steward's confirmation" in text
    assert "kept 'NAKORN SAWAN' = 60 as a spelling of agency dopa" in text
    kept = [tuple(r) for r in aliases.all_confirmed()[["agency", "spelling", "code", "who"]].to_numpy()]
    assert kept == [
        ("dopa", "NAKORN SAWAN", "60", "dopa-steward"),
        ("dopa", "Kampangphet", "62", "dopa-steward"),
    ]

    # The agency's next file passes without --name (the figures are now published: unchanged) …
    code, text = run(capsys, path, "--indicator", POP, "--steward", "dopa-steward", "--dry-run")
    assert "accepted: 0, flagged: 0, unchanged: 4, rejected: 0, skipped: 0" in text
    assert "note: province name 'Kampangphet' matched to 62 by a steward's confirmation" in text
    # … while another agency's steward still gets the proposal (an alias is one agency's word).
    code, text = run(capsys, path, "--indicator", POP, "--agency", "nesdc", "--dry-run")
    assert "rejected: 2" in text and "proposed: 'Kampangphet'" in text


def test_a_confirmation_with_a_code_that_is_not_a_province_is_refused(exchange_env, capsys):
    path = exchange_env.base / "dopa.csv"
    path.write_text(population_csv(exchange_env), encoding="utf-8")
    code, text = run(capsys, path, "--indicator", POP, "--name", "NAKORN SAWAN=99", "--dry-run")
    assert code == 2
    assert "--name 'NAKORN SAWAN'='99': '99' is not a DOPA province code" in text


def test_once_some_columns_are_mapped_the_others_are_skipped_and_listed(exchange_env, capsys, tmp_path):
    held = exchange_env.held_back
    path = tmp_path / "two_columns.csv"
    path.write_text(
        "จังหวัด,ประชากร,ครัวเรือน\n"
        f"นครสวรรค์,{held[('60', 2019)]:.0f},12\n"
        f"กำแพงเพชร,{held[('62', 2019)]:.0f},34\n",
        encoding="utf-8",
    )
    code, text = run(capsys, path, "--map", f"ประชากร={POP}", "--year", "2562", "--dry-run",
                     "--out", tmp_path / "out.csv")  # fmt: skip
    assert code == 0, text
    assert "accepted: 2, flagged: 0, unchanged: 0, rejected: 0, skipped: 0" in text
    assert "note: sheet 'two_columns.csv': column C “ครัวเรือน” is not mapped: skipped" in text
    report = (tmp_path / "out.report.csv").read_text(encoding="utf-8-sig")
    assert "# note: sheet 'two_columns.csv': column C “ครัวเรือน” is not mapped: skipped" in report
