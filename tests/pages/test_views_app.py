"""Map, trends and compare pages driven as a user would (AppTest, real warehouse)."""

from __future__ import annotations

import pytest

from tests.conftest import open_page


@pytest.fixture
def real(real_warehouse, use_warehouse):
    use_warehouse(real_warehouse)


def test_map_of_gpp_2020_ranks_nakhon_sawan_24th(real):
    at = open_page("pages/map.py", lang="en", indicator="gpp_current_mb", year="2020", table="1")
    table = at.dataframe[0].value
    row = table[table["Code"] == "60"].iloc[0]
    assert row["Area"] == "Nakhon Sawan"
    assert row["Value (million baht)"] == 111440.702788
    assert row["Rank"] == 24
    assert len(table) == 77
    assert at.query_params["indicator"] in (["gpp_current_mb"], "gpp_current_mb")


def test_map_is_a_picture_with_its_text_first_and_interactive_on_request(real):
    at = open_page("pages/map.py", lang="en", indicator="gpp_current_mb", year="2020")
    (picture,) = at.get("image")
    assert picture.proto.imgs[0].url.startswith("data:image/svg+xml;base64,")
    assert picture.proto.imgs[0].alt == (
        "Map of Gross provincial product at current market prices (million baht), 2020: 77 areas in 5 classes "
        "from 15,147.8 to 5,270,460.2. Largest: Bangkok (5,270,460.2). Smallest: Mae Hong Son (15,147.8). "
        "0 areas without a figure. Every figure is under the map, in “Figures behind the map” and the downloads."
    )
    assert not at.get("deck_gl_json_chart")
    # the table waits, closed, until asked for (its grid would delay the picture); the downloads do not wait
    assert [e.label for e in at.expander] == ["Figures behind the map: 77 areas"] and not at.dataframe
    assert len(at.get("download_button")) == 3
    at.session_state["table"] = "1"  # as opening it does (the browser test clicks it)
    at.run()
    assert len(at.dataframe[0].value) == 77 and at.query_params["table"] in (["1"], "1")
    at.toggle(key="interactive.en.ce").set_value(True).run()
    assert len(at.get("deck_gl_json_chart")) == 1 and not at.get("image")
    assert at.query_params["interactive"] in (["1"], "1")


def test_map_area_picker_gives_an_area_figure_rank_and_profile_without_a_mouse(real):
    at = open_page("pages/map.py", lang="en", indicator="gpp_current_mb", year="2020")
    picker = at.selectbox(key="map_area_province_en")
    assert picker.value is None and len(picker.options) == 77 and picker.options[0] == "Amnat Charoen"
    picker.set_value("60").run()
    assert not at.exception
    text = [m.value for m in at.markdown]
    assert "**Nakhon Sawan**: 111\\,440\\.7 million baht · 2020 · rank 24 of 77" in text  # escaped Markdown
    (link,) = [e for e in at.get("page_link") if e.proto.label == "Open its province's profile"]
    assert link.proto.query_string == "province=60&lang=en&era=ce"
    # the pilots' districts: a district opens its province's profile
    at = open_page(
        "pages/map.py", lang="en", indicator="rice_inseason_production_t", year="2015", level="district"
    )
    picker = at.selectbox(key="map_area_district_en")
    picker.select_index(picker.options.index("Mueang Nakhon Sawan")).run()
    (link,) = [e for e in at.get("page_link") if e.proto.label == "Open its province's profile"]
    assert link.proto.query_string == "province=60&lang=en&era=ce"


def test_map_alt_text_counts_areas_without_a_figure_in_thai(real):
    at = open_page(
        "pages/map.py", lang="th", indicator="rice_offseason_yield_kg_per_rai", level="district", table="1"
    )
    table = at.dataframe[0].value
    missing = int(table.iloc[:, 3].isna().sum())
    assert missing > 0
    alt = at.get("image")[0].proto.imgs[0].alt
    assert alt.startswith("แผนที่ผลผลิตข้าวนาปรังต่อไร่") and f"{len(table)} พื้นที่" in alt
    assert f"ไม่มีตัวเลข {missing} พื้นที่" in alt


def test_map_per_capita_divides_by_registered_population(real):
    at = open_page("pages/map.py", lang="en", indicator="dhf_cases", year="2020", table="1")
    at.toggle(key="percap.en.ce").set_value(True).run()
    table = at.dataframe[0].value
    row = table[table["Code"] == "60"].iloc[0]
    assert row["Published value"] == 274 and row["Registered population (DOPA)"] == 1040308
    assert row["Value (cases per 100000 people)"] == pytest.approx(274 * 100000 / 1040308)


def test_map_without_population_for_the_year_says_so(real):
    # GPP 1995: registered population starts in 2002 (was tourism 2022, before DOPA's files brought it to 2024)
    at = open_page("pages/map.py", lang="en", indicator="gpp_current_mb", year="1995", percap="1", table="1")
    assert "No registered population figure for 1995" in at.info[0].value
    assert "Published value" not in at.dataframe[0].value.columns


def test_map_district_level_shows_pilot_districts_and_no_data(real):
    at = open_page(
        "pages/map.py", lang="th", indicator="rice_offseason_yield_kg_per_rai", level="district", table="1"
    )
    table = at.dataframe[0].value
    assert set(table["รหัส"].str[:2]) == {"14", "15", "16", "17", "18", "25", "26", "60", "61", "62"}
    assert (table["หมายเหตุ"] == "ไม่มีข้อมูล").sum() == table.iloc[:, 3].isna().sum()


def test_trends_mark_the_lfs_break_and_compute_growth(real):
    at = open_page("pages/trends.py", lang="en", indicator="lfs_q4_unemployed", provinces="60,62")
    assert any("Series break between 2013 and 2014" in w.value for w in at.warning)
    growth = at.dataframe[0].value.set_index("Area")
    assert growth.loc["Nakhon Sawan", "2011"] == 3123 and growth.loc["Nakhon Sawan", "2019"] == 5755
    assert growth.loc["Nakhon Sawan", "Compound annual growth (% a year)"] == round(
        ((5755 / 3123) ** (1 / 8) - 1) * 100, 2
    )
    at.selectbox(key="mode.en.ce").set_value("index").run()
    assert not at.exception


def test_trends_with_no_province_asks_for_one(real):
    at = open_page("pages/trends.py", lang="en", provinces="60")
    at.multiselect(key="provinces.en.ce").set_value([]).run()
    assert not at.exception
    assert "Pick at least one province" in at.info[0].value


def test_compare_scores_and_similar_provinces(real):
    at = open_page("pages/compare.py", lang="en", theme="economy", province="60")
    assert at.dataframe[0].value.iloc[0, 0] == "Nakhon Sawan"  # the example target of its chart
    ranks = at.dataframe[1].value
    assert len(ranks) == 10
    assert ranks.iloc[0]["Area"] == "Phra Nakhon Si Ayutthaya" and ranks.iloc[0]["Overall rank"] == 1
    similar = at.dataframe[3].value
    assert len(similar) == 5 and "60" not in similar["Code"].tolist()
    at.selectbox(key="theme.en.ce").set_value("health").run()
    assert not at.exception and len(at.dataframe[1].value) == 10  # [0]: the dengue example target


def test_compare_shows_the_targets_of_the_chosen_provinces(real):
    at = open_page("pages/compare.py", lang="en", theme="economy", provinces="60,61")
    targets = at.dataframe[0].value
    assert (
        targets.values.tolist()
        == [
            [
                "Nakhon Sawan",
                "GPP per capita",
                "Target ≥ 130,000 by 2022: not met — no figure for 2022, the deadline year",
                "Illustrative example target only, not the province's real target",
            ]
        ]
    )  # fmt: skip  (was "off track" from a projection; on 6 Dec 2026 the 2022 deadline has passed with no 2022 figure)
    ranks = at.dataframe[1].value
    assert len(ranks) == 2


def test_compare_leaves_a_province_without_the_figure_out_of_that_cell(real):
    """Phuket (83) has no off-season rice figure in any year: its cells are left empty, the page does not fail (it did under
    pandas 3, whose stack keeps empty cells), and Nakhon Sawan's are as published."""
    import json

    from streamlit.dataframe_util import convert_arrow_bytes_to_pandas_df

    at = open_page("pages/compare.py", lang="en", theme="agriculture", provinces="60,83")
    assert not at.exception
    chart = at.get("vega_lite_chart")[0].proto
    assert json.loads(chart.spec)["layer"]
    cells = convert_arrow_bytes_to_pandas_df(chart.datasets[0].data.data)
    phuket = set(cells.loc[cells.area_code == "83", "indicator_id"])
    assert phuket and not any(i.startswith("rice_offseason") for i in phuket)
    production = cells[
        (cells.area_code == "60") & (cells.indicator_id == "rice_offseason_production_t")
    ].iloc[0]
    assert production.value_text == "120,007 tonnes (paddy at 15% moisture)"
    assert production.rank_text == "11 of 71 provinces" and production.year_label == "2016"


@pytest.mark.parametrize(
    ("lang", "rule", "tooltip"),
    [
        ("en", "How a score is made: the province's percentile among all provinces", "24 of 77 provinces"),
        ("th", "วิธีคิดคะแนน: เปอร์เซ็นไทล์ของจังหวัดเทียบกับทุกจังหวัด", "24 จาก 77 จังหวัด"),
    ],
)
def test_compare_scores_are_percentiles_among_all_77_with_the_rule_and_the_figure(real, lang, rule, tooltip):
    import json

    at = open_page("pages/compare.py", lang=lang, theme="economy")
    assert any(c.value.startswith(rule) for c in at.caption)
    from streamlit.dataframe_util import convert_arrow_bytes_to_pandas_df

    chart = at.get("vega_lite_chart")[0].proto
    spec = json.loads(chart.spec)
    cells = convert_arrow_bytes_to_pandas_df(chart.datasets[0].data.data).to_dict("records")
    gpp = next(c for c in cells if c["area_code"] == "60" and c["indicator_id"] == "gpp_current_mb")
    # Nakhon Sawan's GPP 2020, 111,440.7 million baht, ranks 24th of 77: better than 53 of the other 76
    assert gpp["value_text"] == ("111,440.7 million baht" if lang == "en" else "111,440.7 ล้านบาท")
    assert gpp["rank_text"] == tooltip and gpp["score"] == pytest.approx(53 / 76 * 100)
    # Ayutthaya's large GPP no longer squeezes the others: Prachin Buri (11th of 77) keeps a high score
    pcb = next(c for c in cells if c["area_code"] == "25" and c["indicator_id"] == "gpp_current_mb")
    assert pcb["score"] == pytest.approx(66 / 76 * 100)
    tooltip_fields = [f["field"] for f in spec["layer"][0]["encoding"]["tooltip"]]
    assert tooltip_fields == ["area", "indicator", "value_text", "year_label", "rank_text", "score"]


@pytest.mark.parametrize(
    ("page", "params"),
    [("pages/map.py", {"indicator": "gpp_current_mb", "year": "2020"}), ("pages/profile.py", {"province": "60"}),
     ("pages/trends.py", {"provinces": "60,62"}), ("pages/compare.py", {"theme": "economy"}),
     ("pages/catalog.py", {}), ("pages/chart.py", {"province": "60"})],
)  # fmt: skip
def test_downloads_do_not_rerun_the_page(real, page, params):
    """A download click that also reruns the page races the rerun, which registers the deferred file anew: about
    1 click in 8 never got its file (bench: the map's CSV and zip, Chromium). Every download button ignores it."""
    at = open_page(page, lang="en", **params)
    buttons = [e.proto for e in at.get("download_button")]
    assert len(buttons) >= 3
    assert all(b.ignore_rerun for b in buttons), [b.label for b in buttons if not b.ignore_rerun]
