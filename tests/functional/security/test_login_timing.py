"""A sign-in with an email nobody uses costs the same password hashing as one with a known email and a wrong
password, so the response time does not tell whether an account exists (shop/security/auth_backends.py)."""

from unittest import mock

import pytest
from django.contrib.auth.hashers import MD5PasswordHasher

pytestmark = pytest.mark.django_db

LOGIN = "/shop/accounts/login/"


def hashes_for(client, email):
    with mock.patch.object(MD5PasswordHasher, "encode", autospec=True, side_effect=MD5PasswordHasher.encode) as encode:
        response = client.post(LOGIN, {"login-username": email, "login-password": "sai-mat-khau", "login_submit": "1"})
    assert response.status_code == 200 and "_auth_user_id" not in client.session
    return encode.call_count


def test_an_unknown_email_costs_as_many_hashes_as_a_wrong_password(client, django_user_model):
    django_user_model.objects.create_user(email="co-that@x.vn", password="dung-mat-khau-2025")
    known = hashes_for(client, "co-that@x.vn")
    unknown = hashes_for(client, "khong-ai@x.vn")
    assert known >= 1
    assert unknown == known
