"""The scale generator runs at a tiny size, labels its output synthetic, and the app refuses it."""

from __future__ import annotations

import duckdb
import pytest
from streamlit.testing.v1 import AppTest

from bench.synth import main as synth_main
from provdata.basics.errors import WarehouseSynthetic
from provdata.warehouse import queries
from provdata.warehouse.db import Warehouse
from tests.conftest import ROOT


@pytest.fixture(scope="module")
def synthetic(tmp_path_factory):
    path = tmp_path_factory.mktemp("synth") / "tiny.duckdb"
    assert synth_main(["--size", "tiny", "--out", str(path)]) == 0
    return path


def test_tiny_synthetic_warehouse_is_labelled(synthetic):
    con = duckdb.connect(str(synthetic), read_only=True)
    try:
        assert con.execute("SELECT synthetic FROM meta").fetchone()[0] is True
        assert con.execute("SELECT count(*) FROM observation").fetchone()[0] == 77 * 5 * 3
        assert (
            con.execute(
                "SELECT count(*) FROM indicator WHERE name_en LIKE 'Synthetic indicator %'"
            ).fetchone()[0]
            == 5
        )
    finally:
        con.close()


def test_app_refuses_synthetic_unless_asked(synthetic, monkeypatch, use_warehouse):
    with pytest.raises(WarehouseSynthetic):
        _ = Warehouse(synthetic).build_id
    use_warehouse(synthetic)
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=30)
    at.query_params["lang"] = "en"
    at.run()
    assert not at.exception
    assert "PROVDATA_ALLOW_SYNTHETIC=1" in at.error[0].value
    monkeypatch.setenv("PROVDATA_ALLOW_SYNTHETIC", "1")
    assert len(queries.provinces(Warehouse(synthetic))) == 77


def test_generator_refuses_to_overwrite_the_real_warehouse():
    with pytest.raises(SystemExit):
        synth_main(["--size", "tiny", "--out", "data/warehouse.duckdb"])


@pytest.mark.parametrize("path", ["pages/map.py", "pages/trends.py", "pages/compare.py", "pages/profile.py"])
def test_pages_render_on_a_warehouse_without_the_usual_defaults(synthetic, monkeypatch, use_warehouse, path):
    """A warehouse whose indicators are not the shipped ones (here: synthetic) still renders every view."""
    monkeypatch.setenv("PROVDATA_ALLOW_SYNTHETIC", "1")
    use_warehouse(synthetic)
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=60)
    at.query_params["lang"] = "en"
    at.switch_page(path)
    at.run()
    assert not at.exception, at.exception
