"""The simulated users read forms as a browser does: what they send back is what a person would."""

from loadtest.browser import fill, form_of, forms_of

PAGE = """
<form method="post" action="/de-an/moi/">
  <input type="hidden" name="csrfmiddlewaretoken" value="abc">
  <input type="hidden" name="form_token" value="t1">
  <select name="plan"><option value="">— Chọn kế hoạch năm —</option>
    <option value="7">2024 — Kế hoạch khuyến công địa phương năm 2024</option>
    <option value="9" selected>2025 — Kế hoạch khuyến công quốc gia năm 2025</option></select>
  <select name="budget-0-source"><option value="1">Kinh phí khuyến công quốc gia</option>
    <option value="2">Kinh phí khuyến công &amp; địa phương</option></select>
  <input type="checkbox" name="sites" value="11"><input type="checkbox" name="sites" value="12" checked>
  <input type="checkbox" name="beneficiaries-0-counterpart_committed">
  <textarea name="note">
Dòng một</textarea>
  <input type="text" name="disabled_one" value="x" disabled>
</form>
<form method="post" action="/ghi-chu/"><input type="hidden" name="csrfmiddlewaretoken" value="abc"></form>
"""


def test_fields_as_the_page_filled_them():
    form = form_of(PAGE, has="form_token")
    assert form["action"] == "/de-an/moi/"
    fields = dict(form["fields"])
    assert fields["plan"] == "9"  # the selected option
    assert fields["budget-0-source"] == "1"  # a single select without a selection sends its first option
    assert [v for n, v in form["fields"] if n == "sites"] == ["12"]  # only the ticked box
    assert fields["note"] == "Dòng một"
    assert "disabled_one" not in fields
    assert "beneficiaries-0-counterpart_committed" not in fields


def test_option_labels_read_as_shown():
    form = form_of(PAGE, has="form_token")
    assert form["labels"]["plan"]["7"] == "2024 — Kế hoạch khuyến công địa phương năm 2024"
    assert form["labels"]["budget-0-source"]["2"] == "Kinh phí khuyến công & địa phương"
    assert form["options"]["sites"] == ["11", "12"]


def test_fill_replaces_and_repeats():
    form = form_of(PAGE, has="form_token")
    sent = fill(form, {"sites": ["11", "12"], "plan": "7"})
    assert [v for n, v in sent if n == "sites"] == ["11", "12"]
    assert [v for n, v in sent if n == "plan"] == ["7"]
    assert ("form_token", "t1") in sent


def test_every_form_of_the_page():
    assert [f["action"] for f in forms_of(PAGE)] == ["/de-an/moi/", "/ghi-chu/"]
