"""The data-exchange page as a steward and an admin use it (AppTest): sign in, upload a wide Thai workbook with
Buddhist-era years, map it, preview, publish, see the figures in the views, roll back."""

from __future__ import annotations

from streamlit.testing.v1 import AppTest

from provdata.ingest import aliases
from tests.conftest import PASSWORD, open_page, sign_in, wide_population_xlsx

POP = "population_registered"


def frame_with(at: AppTest, *columns: str):
    """The first table on the page that has these columns."""
    return next(d.value for d in at.dataframe if set(columns) <= set(d.value.columns))


def metric(at: AppTest, label: str) -> str:
    return next(m.value for m in at.metric if m.label == label)


def test_viewing_needs_no_login_and_uploading_does(exchange_env):
    at = open_page("pages/exchange.py", lang="en")
    assert "Uploading needs a steward account" in at.info[0].value
    assert frame_with(at, "rows_current").id.tolist() == [2, 1]  # the shipped seed files
    sign_in(at, "dopa-steward", "not the password")
    assert at.error[0].value == "Wrong account or password."
    assert "account" not in at.session_state


def test_steward_uploads_maps_previews_and_publishes_then_admin_rolls_back(exchange_env):
    at = open_page("pages/exchange.py", lang="en")
    sign_in(at, "dopa-steward")
    assert at.success[0].value == "Signed in as dopa-steward (steward of dopa)."
    at.file_uploader(key="upload_file").upload(
        "ประชากร.xlsx", wide_population_xlsx(exchange_env.held_back)
    ).run()
    assert not at.exception, at.exception
    # the years are columns: the page asks which indicator they hold
    assert "which indicator the year columns hold" in at.error[0].value
    roles = at.data_editor(key="upload_roles_None").value
    assert roles.header.tolist() == ["จังหวัด", "พ.ศ. 2562", "พ.ศ. 2563"]
    assert roles.year.tolist() == ["", "2019", "2020"] and roles.role.tolist()[0] == "province"
    at.selectbox(key="upload_indicator").select(POP).run()
    assert (metric(at, "To publish"), metric(at, "Skipped"), metric(at, "Rejected")) == ("4", "1", "0")
    at.button(key="upload_publish").click().run()
    assert not at.exception, at.exception
    assert at.success[-1].value.startswith("Published as load 101: 4 row(s)")

    # every view reads the new build: the profile of Nakhon Sawan shows DOPA's 2020 figure
    profile = open_page("pages/profile.py", lang="en", province="60")
    table = next(d.value for d in profile.dataframe if "Indicator" in d.value.columns)
    row = table[table.Indicator.str.startswith("Registered population")].iloc[0]
    assert 1040308.0 in list(row.values) and "2020" in list(row.values)  # the upload's figure, its year

    admin = open_page("pages/exchange.py", lang="en")
    sign_in(admin, "admin")
    changes = frame_with(admin, "previous", "current")
    assert len(changes) == 4 and changes.previous.isna().all()
    assert set(changes.value) == set(exchange_env.held_back.values())
    admin.button(key="rollback_101").click().run()
    assert not admin.exception, admin.exception
    assert admin.success[-1].value.startswith("Publication 101 rolled back")
    loads = frame_with(open_page("pages/exchange.py", lang="en"), "rows_current")
    assert loads.set_index("id").loc[101, "status"] == "rolled_back"


def test_the_page_speaks_thai(exchange_env):
    at = open_page("pages/exchange.py", lang="th")
    assert at.title[0].value == "แลกเปลี่ยนข้อมูล"
    assert "การนำเข้าข้อมูลต้องมีบัญชีผู้ดูแลข้อมูล" in at.info[0].value


def test_admin_adds_an_indicator_from_the_page(exchange_env):
    at = open_page("pages/exchange.py", lang="en")
    sign_in(at, "admin")
    at.text_input(key="new_id").set_value("rubber_planted_area_rai")
    at.selectbox(key="new_agency").select("oae")
    at.text_input(key="new_name_th").set_value("เนื้อที่ปลูกยางพารา")
    at.text_input(key="new_name_en").set_value("Rubber planted area")
    at.text_input(key="new_unit_th").set_value("ไร่")
    at.text_input(key="new_unit_en").set_value("rai")
    at.selectbox(key="new_theme").select("agriculture")
    at.selectbox(key="new_kind").select("area")
    next(b for b in at.button if b.label == "Add the indicator").click().run()
    assert not at.exception, at.exception
    assert any("Indicator rubber_planted_area_rai is in the catalog" in s.value for s in at.success)
    # a steward of OAE now finds it among the indicators the upload can be mapped to
    steward = open_page("pages/exchange.py", lang="en")
    sign_in(steward, "admin")
    steward.file_uploader(key="upload_file").upload("x.csv", "จังหวัด,2563\nนครสวรรค์,\n".encode()).run()
    options = steward.selectbox(key="upload_indicator").options
    assert "rubber_planted_area_rai · Rubber planted area (rai)" in options


def test_steward_confirms_province_spellings_in_the_wizard_and_they_are_kept_for_the_agency(exchange_env):
    held = exchange_env.held_back
    csv_bytes = (
        "province,2019,2020\n"
        f"NAKORN SAWAN,{held[('60', 2019)]:.0f},{held[('60', 2020)]:.0f}\n"
        f"Kampangphet,{held[('62', 2019)]:.0f},{held[('62', 2020)]:.0f}\n"
    ).encode()
    at = open_page("pages/exchange.py", lang="en")
    sign_in(at, "dopa-steward")
    at.file_uploader(key="upload_file").upload("dopa.csv", csv_bytes).run()
    at.selectbox(key="upload_indicator").select(POP).run()
    assert not at.exception, at.exception
    assert (metric(at, "To publish"), metric(at, "Rejected")) == ("0", "2")
    assert any("Province names to confirm** (2 waiting)" in m.value for m in at.markdown)
    box = at.checkbox(key="upload_confirm_NAKORN SAWAN")
    assert box.label == "“NAKORN SAWAN” is Nakhon Sawan (60)" and box.value is False
    box.check().run()
    assert (metric(at, "To publish"), metric(at, "Rejected")) == ("2", "1")
    at.checkbox(key="upload_confirm_Kampangphet").check().run()
    assert (metric(at, "To publish"), metric(at, "Rejected")) == ("4", "0")
    at.button(key="upload_publish").click().run()
    assert not at.exception, at.exception
    assert at.success[-1].value.startswith("Published as load 101: 4 row(s)")
    assert "Kept “NAKORN SAWAN” = 60 as a spelling of agency dopa." in [c.value for c in at.caption]
    kept = aliases.all_confirmed()[["agency", "spelling", "code", "who"]].to_numpy().tolist()
    assert kept == [
        ["dopa", "NAKORN SAWAN", "60", "dopa-steward"],
        ["dopa", "Kampangphet", "62", "dopa-steward"],
    ]

    # The agency's next upload with these spellings needs no confirmation.
    again = open_page("pages/exchange.py", lang="en")
    sign_in(again, "dopa-steward")
    again.file_uploader(key="upload_file").upload("dopa.csv", csv_bytes).run()
    again.selectbox(key="upload_indicator").select(POP).run()
    assert (metric(again, "Unchanged"), metric(again, "Rejected")) == ("4", "0")
    assert not any("Province names to confirm" in m.value for m in again.markdown)


def test_a_real_oae_workbook_in_the_wizard_sub_rows_crop_year_and_a_spelling_to_confirm(
    tmp_path, monkeypatch, real_warehouse
):
    """OAE's in-season irrigation workbook as a steward uploads it: the 2558/59 sheet, column B mapped on the
    province rows; the sub-rows are skipped and listed, บีงกาฬ waits for a tick, and every figure equals the OAE
    rice series already published (unchanged)."""
    import shutil

    from provdata import accounts
    from tests.ingest.test_ingest_agency_files import inbox

    target = tmp_path / "warehouse.duckdb"
    shutil.copy(real_warehouse, target)
    monkeypatch.setenv("PROVDATA_WAREHOUSE", str(target))
    monkeypatch.setenv("PROVDATA_STATE", str(tmp_path / "state"))
    accounts.add("admin", PASSWORD, "nso", admin=True, path=tmp_path / "state" / "accounts.json")
    path = inbox("oae_rice_irrigation_oui121") / "4.ชลประทานนาปี 45-58ความชื้น15%.xls"

    at = open_page("pages/exchange.py", lang="en")
    sign_in(at, "admin")
    at.file_uploader(key="upload_file").upload(path.name, path.read_bytes()).run()
    at.selectbox(key="upload_sheet").select("58").run()
    at.text_input(key="upload_maps").set_value("B=rice_inseason_planted_area_rai").run()
    assert not at.exception, at.exception
    assert (metric(at, "Unchanged"), metric(at, "Rejected")) == ("76", "1")
    assert at.checkbox(key="upload_confirm_บีงกาฬ").label == "“บีงกาฬ” is Bueng Kan (38)"
    at.checkbox(key="upload_confirm_บีงกาฬ").check().run()
    assert (metric(at, "Unchanged"), metric(at, "Rejected"), metric(at, "Skipped")) == ("77", "0", "169")
    captions = [c.value for c in at.caption]
    assert (
        "sheet '58': year 2015 from the title (ปีเพาะปลูก 2558/59: a crop year is its planting year, 2015)"
        in captions
    )
    assert "province name 'บีงกาฬ' matched to 38 by a steward's confirmation" in captions
