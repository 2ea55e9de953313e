"""The data-exchange page as a steward and an admin use it (AppTest): sign in, upload a wide Thai workbook with
Buddhist-era years, map it, preview, publish, see the figures in the views, roll back."""

from __future__ import annotations

from streamlit.testing.v1 import AppTest

from tests.conftest import PASSWORD, open_page, wide_population_xlsx

POP = "population_registered"


def sign_in(at: AppTest, name: str, password: str = PASSWORD) -> AppTest:
    at.text_input(key="login_user").set_value(name)
    at.text_input(key="login_password").set_value(password)
    at.button[0].click().run()
    assert not at.exception, at.exception
    return at


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
    assert "steward" not in at.session_state


def test_steward_uploads_maps_previews_and_publishes_then_admin_rolls_back(exchange_env):
    at = open_page("pages/exchange.py", lang="en")
    sign_in(at, "dopa-steward")
    assert at.success[0].value == "Signed in as dopa-steward (dopa, steward)."
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
