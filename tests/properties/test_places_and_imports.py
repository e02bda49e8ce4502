"""Places and import rows: any text as a place name and any cell values in an import file end in a place,
no place, or row errors, never a crash; a dry run writes nothing."""

import io

import pytest
from django.contrib.auth.models import Group
from hypothesis import given, settings
from hypothesis import strategies as st
from openpyxl import Workbook, load_workbook

from accounts.roles import GROUP_NAMES, Role
from accounts.services import roles_setup
from beneficiaries.models import Beneficiary
from places.resolve import clear_place_index, resolve_place, resolve_place_candidates
from spreadsheets.engine import run_import
from spreadsheets.models import ImportKind
from spreadsheets.template_files import build_template
from tests.factories import AgencyFactory, CommuneFactory, ProvinceFactory, StaffProfileFactory, UserFactory

place_text = st.one_of(
    st.text(max_size=80),
    st.builds(
        lambda parts: ", ".join(parts),
        st.lists(
            st.sampled_from(
                ["Xã", "Phường", "xa", "P.", "Tỉnh", "TP", "Huyện", "", "Thử", "Đặc khu"]
            ).flatmap(
                lambda kind: st.text(alphabet="abcđêôơưĐÂÁÀẢÃẠ Thử0123456789-", max_size=15).map(
                    lambda name: f"{kind} {name}".strip()
                )
            ),
            max_size=4,
        ),
    ),
)


@pytest.fixture
def small_map(db):
    province = ProvinceFactory(name="Thử Nghiệm", full_name="Tỉnh Thử Nghiệm")
    communes = [
        CommuneFactory(province=province, name=f"Đông Hòa {i}", full_name=f"Xã Đông Hòa {i}")
        for i in range(3)
    ]
    clear_place_index()
    yield province, communes
    clear_place_index()


@settings(max_examples=150)
@given(text=place_text)
def test_any_text_resolves_to_one_place_or_none_and_never_crashes(small_map, text):
    province, _communes = small_map
    found = resolve_place(text)
    candidates = resolve_place_candidates(text, province_hint=province)
    assert found is None or found.pk in {c.pk for c in resolve_place_candidates(text)}
    assert all(c.pk for c in candidates)


def test_a_commune_written_in_full_with_its_province_resolves_to_it(small_map):
    province, communes = small_map
    assert resolve_place("Xã Đông Hòa 1, Tỉnh Thử Nghiệm") == communes[1]


cell = st.one_of(
    st.none(),
    st.integers(min_value=-(10**20), max_value=10**20),
    st.floats(allow_nan=True, allow_infinity=False),
    # What a spreadsheet cell can hold: no control characters.
    st.text(alphabet=st.characters(blacklist_categories=("Cc", "Cs")), max_size=40),
    st.sampled_from(
        ["=1+1", '=HYPERLINK("http://x")', "0101245480", "1.791.000.000", "31/12/2025", "Haø Noäi"]
    ),
    st.dates(),
)


@pytest.fixture
def importer(db):
    roles_setup()
    province = ProvinceFactory()
    CommuneFactory(province=province)
    user = UserFactory(username="canbo.nhap")
    user.groups.add(Group.objects.get(name=GROUP_NAMES[Role.OFFICER]))
    StaffProfileFactory(user=user, agency=AgencyFactory(province=province))
    clear_place_index()
    template = load_workbook(io.BytesIO(build_template(ImportKind.BENEFICIARIES, province=province)))
    yield user, template.worksheets[0].title, [c.value for c in template.worksheets[0][1]]
    clear_place_index()


@settings(max_examples=25)
@given(rows=st.lists(st.lists(cell, min_size=1, max_size=14), min_size=1, max_size=6))
def test_any_import_rows_are_accepted_or_refused_row_by_row_and_a_dry_run_writes_nothing(importer, rows):
    user, title, headers = importer
    book = Workbook()
    sheet = book.active
    sheet.title = title
    sheet.append(headers)
    for row in rows:
        sheet.append(list(row[: len(headers)]))
    data = io.BytesIO()
    book.save(data)
    data.seek(0)
    before = Beneficiary.objects.count()
    report = run_import(kind=ImportKind.BENEFICIARIES, source=data, actor=user, commit=False)
    assert not report.committed
    assert Beneficiary.objects.count() == before
    if not report.file_errors:
        totals = report.totals
        assert totals.new + totals.updated + totals.unchanged + totals.rejected == totals.total
        assert all(error.message for error in report.errors)


def test_a_crafted_not_a_number_cell_refuses_the_file_instead_of_crashing(importer):
    """Found by the property above: openpyxl writes float('nan') as <v>nan</v>, which no reader parses."""
    user, title, headers = importer
    book = Workbook()
    sheet = book.active
    sheet.title = title
    sheet.append(headers)
    sheet.append(["Cơ sở thử", float("nan")])
    data = io.BytesIO()
    book.save(data)
    data.seek(0)
    report = run_import(kind=ImportKind.BENEFICIARIES, source=data, actor=user, commit=False)
    assert report.file_errors and "bị hỏng" in report.file_errors[0]
