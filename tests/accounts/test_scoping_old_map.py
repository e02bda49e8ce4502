"""An agency that sits on a province of the old map scopes its users to today's province."""

import pytest

from projects.models import Project
from tests.factories import AgencyFactory, ProjectFactory, ProvinceFactory, StaffProfileFactory

pytestmark = pytest.mark.django_db


def test_user_of_an_old_map_agency_sees_todays_province_records():
    today = ProvinceFactory()
    old = ProvinceFactory(era="old", current_province=today)
    profile = StaffProfileFactory(agency=AgencyFactory(province=old))
    own = ProjectFactory(plan__province=today)
    ProjectFactory()  # another province
    assert list(Project.objects.visible_to(profile.user)) == [own]
