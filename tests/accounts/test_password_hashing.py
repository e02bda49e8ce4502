"""Passwords are stored with Argon2id at OWASP's parameters; older hashes still verify and are upgraded
at the next login. (The test settings use a fast hasher elsewhere; these tests restore the real list.)"""

import pytest
from django.conf import settings
from django.contrib.auth.hashers import check_password, identify_hasher, make_password
from django.test import override_settings

from khuyencong.settings import base

pytestmark = pytest.mark.django_db


@override_settings(PASSWORD_HASHERS=base.PASSWORD_HASHERS)
def test_new_passwords_are_argon2id_with_owasp_parameters():
    encoded = make_password("Mật khẩu đủ dài 2025")
    assert encoded.startswith("argon2$argon2id$v=19$m=19456,t=2,p=1$")
    assert check_password("Mật khẩu đủ dài 2025", encoded)
    assert not check_password("Mật khẩu sai", encoded)


@override_settings(PASSWORD_HASHERS=base.PASSWORD_HASHERS)
def test_an_old_pbkdf2_hash_verifies_and_is_upgraded_at_login(client, django_user_model):
    from django.contrib.auth.hashers import PBKDF2PasswordHasher

    old = PBKDF2PasswordHasher().encode("KhuyenCong@2025", "muoi-sau-ky-tu16")
    user = django_user_model.objects.create(username="cu", password=old, is_active=True)
    assert identify_hasher(user.password).algorithm == "pbkdf2_sha256"
    assert client.login(username="cu", password="KhuyenCong@2025")
    user.refresh_from_db()
    assert user.password.startswith("argon2$argon2id$v=19$m=19456,t=2,p=1$")


def test_the_test_settings_alone_use_a_fast_hasher():
    assert settings.PASSWORD_HASHERS != base.PASSWORD_HASHERS
    assert base.PASSWORD_HASHERS[0] == "accounts.hashers.PortalArgon2PasswordHasher"
