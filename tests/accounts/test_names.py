"""Vietnamese names are shown as they are written, family name first, wherever Django prints a user."""

import pytest
from django.contrib.auth import get_user_model

from accounts.names import person_name, split_person_name

pytestmark = pytest.mark.django_db


def test_a_name_is_joined_family_name_first_and_split_back_unchanged():
    for written in ("Nguyễn Văn An", "Tôn Nữ Thị Ninh", "Lê Văn Cường", "Thống"):
        last, first = split_person_name(written)
        user = get_user_model()(username="x", last_name=last, first_name=first)
        assert person_name(user) == written
        assert user.get_full_name() == written
        assert user.get_short_name() == written
    assert split_person_name("  Nguyễn   Văn  An ") == ("Nguyễn Văn", "An")
    assert person_name(get_user_model()(username="canbo")) == "canbo"


def test_the_admin_takes_a_name_whole_and_greets_with_it(admin_client, admin_user):
    data = {
        "username": admin_user.username,
        "full_name": "Trần Văn Thống",
        "email": "thong@example.gov.vn",
        "is_active": "on",
        "is_staff": "on",
        "is_superuser": "on",
        "date_joined_0": "01/01/2025",
        "date_joined_1": "08:00:00",
        "last_login_0": "",
        "last_login_1": "",
        "staff_profile-TOTAL_FORMS": "0",
        "staff_profile-INITIAL_FORMS": "0",
        "staff_profile-MIN_NUM_FORMS": "0",
        "staff_profile-MAX_NUM_FORMS": "1",
    }
    response = admin_client.post(f"/admin/auth/user/{admin_user.pk}/change/", data)
    assert response.status_code == 302, response.content.decode()[:3000]
    admin_user.refresh_from_db()
    assert (admin_user.last_name, admin_user.first_name) == ("Trần Văn", "Thống")
    page = admin_client.get("/admin/").content.decode()
    assert "<strong>Trần Văn Thống</strong>" in page
    users = admin_client.get("/admin/auth/user/").content.decode()
    assert "Trần Văn Thống" in users
    change = admin_client.get(f"/admin/auth/user/{admin_user.pk}/change/").content.decode()
    assert 'value="Trần Văn Thống"' in change


def test_the_admin_names_every_section_in_vietnamese(admin_client):
    page = admin_client.get("/admin/").content.decode()
    for english in ("Audit log", "Axes", "Access attempts", "Access logs", "TOTP devices", "Otp_Totp"):
        assert english not in page
    for vietnamese in ("Nhật ký thay đổi", "Đăng nhập và khóa tài khoản", "Xác thực hai lớp"):
        assert vietnamese in page
