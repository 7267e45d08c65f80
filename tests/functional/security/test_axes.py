"""Login brute force over real HTTP (django-axes, shop/security/axes.py): a (email, IP) pair is locked after five
failures, on every login form (Oscar's storefront sign-in, Wagtail's admin, Django's admin); nobody else is, from
that IP or from elsewhere; the lockout page is ours; a wrong email and a wrong password read the same."""

import datetime as dt
import re

import pytest
import time_machine
from axes.models import AccessAttempt
from django.test import Client
from django.utils import timezone

pytestmark = pytest.mark.django_db

LOGIN = "/shop/accounts/login/"
IP1, IP2, PROXY = "203.0.113.10", "198.51.100.20", "10.0.0.2"
PASSWORD = "dung-mat-khau-2025"
WRONG = "sai-mat-khau-2025"
LOCKED = "Tạm khoá đăng nhập"


@pytest.fixture
def shoppers(django_user_model):
    return (django_user_model.objects.create_user(email="a@x.vn", password=PASSWORD),
            django_user_model.objects.create_user(email="b@x.vn", password=PASSWORD))


@pytest.fixture
def staff(django_user_model):
    return django_user_model.objects.create_superuser(email="canbo@x.vn", password=PASSWORD)


def storefront(client, email, password, ip=IP1, **headers):
    return client.post(LOGIN, {"login-username": email, "login-password": password, "login_submit": "1"},
                       REMOTE_ADDR=ip, **headers)


def django_admin(client, email, password, ip=IP1):
    return client.post("/django-admin/login/", {"username": email, "password": password, "next": "/django-admin/"},
                       REMOTE_ADDR=ip)


def wagtail_admin(client, email, password, ip=IP1):
    return client.post("/cms-admin/login/", {"username": email, "password": password, "next": "/cms-admin/"},
                       REMOTE_ADDR=ip)


def signed_in(client) -> bool:
    return "_auth_user_id" in client.session


def fail(login, email, times, ip=IP1):
    """``times`` wrong passwords, each from a fresh browser; the responses."""
    return [login(Client(), email, WRONG, ip) for _ in range(times)]


def page_text(response) -> str:
    """The page without what differs between two renders of it (CSRF token, CSP nonce)."""
    html = response.content.decode()
    html = re.sub(r'name="csrfmiddlewaretoken" value="[^"]*"', "", html)
    return re.sub(r'nonce="[^"]*"', "", html)


def locked_section(response) -> str:
    return re.search(r'<section class="security-notice" data-testid="login-locked">.*?</section>',
                     response.content.decode(), re.S).group(0)


# ---------------------------------------------------------------- the storefront sign-in
def test_five_wrong_passwords_lock_that_email_on_that_ip_only(shoppers):
    responses = fail(storefront, "a@x.vn", 5)

    assert [r.status_code for r in responses[:4]] == [200] * 4, "four failures: the form again, with its error"
    assert responses[4].status_code == 429 and LOCKED in responses[4].content.decode()

    right = Client()
    assert storefront(right, "a@x.vn", PASSWORD, IP1).status_code == 429, "the right password does not open a lock"
    assert not signed_in(right)

    elsewhere = Client()
    assert storefront(elsewhere, "a@x.vn", PASSWORD, IP2).status_code == 302, "the real owner, from another IP"
    assert signed_in(elsewhere)

    neighbour = Client()
    assert storefront(neighbour, "b@x.vn", PASSWORD, IP1).status_code == 302, "another account, from the same IP"
    assert signed_in(neighbour)


def test_an_ipv6_client_cannot_dodge_the_lock_by_moving_inside_its_64(shoppers):
    """A phone or a household gets a whole /64: a new address in it costs an attacker nothing."""
    for host in range(1, 6):
        response = storefront(Client(), "a@x.vn", WRONG, ip=f"2001:db8:1:2::{host:x}")
    assert response.status_code == 429
    assert storefront(Client(), "a@x.vn", PASSWORD, ip="2001:db8:1:2:ffff::9").status_code == 429
    other_network = Client()
    assert storefront(other_network, "a@x.vn", PASSWORD, ip="2001:db8:1:3::1").status_code == 302
    assert signed_in(other_network)


def test_an_email_counts_the_same_however_it_is_typed(shoppers):
    fail(storefront, "A@X.vn ", 2)
    fail(storefront, " a@x.VN", 2)
    assert storefront(Client(), "a@x.vn", WRONG).status_code == 429
    assert set(AccessAttempt.objects.values_list("username", flat=True)) == {"a@x.vn"}


def test_a_successful_login_resets_the_count(shoppers):
    fail(storefront, "a@x.vn", 4)
    client = Client()
    assert storefront(client, "a@x.vn", PASSWORD).status_code == 302 and signed_in(client)

    assert [r.status_code for r in fail(storefront, "a@x.vn", 4)] == [200] * 4, "counting starts again"
    assert storefront(Client(), "a@x.vn", PASSWORD).status_code == 302


def test_the_lock_ends_after_the_cool_off_and_tries_while_locked_do_not_extend_it(shoppers):
    start = timezone.now()
    with time_machine.travel(start, tick=False) as clock:
        fail(storefront, "a@x.vn", 5)
        clock.shift(dt.timedelta(minutes=10))
        still = storefront(Client(), "a@x.vn", PASSWORD)
        assert still.status_code == 429 and "Vui lòng thử lại sau 5 phút." in still.content.decode()
        assert still["Retry-After"] == str(5 * 60)

        clock.shift(dt.timedelta(minutes=5, seconds=1))
        client = Client()
        assert storefront(client, "a@x.vn", PASSWORD).status_code == 302 and signed_in(client)


def test_an_unknown_email_and_a_wrong_password_get_the_same_answer(shoppers):
    wrong_password = storefront(Client(), "a@x.vn", WRONG, IP1)
    unknown_email = storefront(Client(), "ai-do@x.vn", WRONG, IP2)

    assert wrong_password.status_code == unknown_email.status_code == 200
    errors = wrong_password.context["login_form"].non_field_errors()
    assert errors and errors == unknown_email.context["login_form"].non_field_errors()
    assert str(errors[0]) in wrong_password.content.decode()
    # Word for word the same page, once the typed email is taken out.
    assert page_text(wrong_password).replace("a@x.vn", "EMAIL") == page_text(unknown_email).replace("ai-do@x.vn",
                                                                                                    "EMAIL")


def test_the_lockout_page_says_when_to_try_again_and_nothing_about_the_account(shoppers):
    known = fail(storefront, "a@x.vn", 5)[-1]
    unknown = fail(storefront, "ai-do@x.vn", 5)[-1]

    assert known.status_code == unknown.status_code == 429
    html = known.content.decode()
    assert "Bạn đã đăng nhập sai quá nhiều lần" in html and "Vui lòng thử lại sau 15 phút." in html
    assert '<html lang="vi">' in html and 'href="/shop/password-reset/"' in html, "in the site's layout"
    assert 14 * 60 < int(known["Retry-After"]) <= 15 * 60
    assert "no-store" in known["Cache-Control"]
    assert "a@x.vn" not in html and "ai-do@x.vn" not in unknown.content.decode()
    assert locked_section(known) == locked_section(unknown), "an account or not: the same page"


def test_nothing_typed_is_kept_of_a_failed_login(shoppers):
    storefront(Client(), "A@x.vn", WRONG, IP1)
    attempt = AccessAttempt.objects.get()
    assert (attempt.username, attempt.ip_address, attempt.failures_since_start) == ("a@x.vn", IP1, 1)
    kept = f"{attempt.get_data} {attempt.post_data}"
    assert WRONG not in kept and "x.vn" not in kept.lower()


# ---------------------------------------------------------------- the back offices
def test_django_admin_logins_lock_the_same_way(staff):
    responses = fail(django_admin, "canbo@x.vn", 5)
    assert [r.status_code for r in responses] == [200] * 4 + [429]
    assert LOCKED in responses[-1].content.decode()
    assert django_admin(Client(), "canbo@x.vn", PASSWORD, IP1).status_code == 429

    elsewhere = Client()
    assert django_admin(elsewhere, "canbo@x.vn", PASSWORD, IP2).status_code == 302 and signed_in(elsewhere)


def test_wagtail_admin_logins_lock_the_same_way(staff):
    responses = fail(wagtail_admin, "canbo@x.vn", 5)
    assert [r.status_code for r in responses] == [200] * 4 + [429]
    assert LOCKED in responses[-1].content.decode()
    assert wagtail_admin(Client(), "canbo@x.vn", PASSWORD, IP1).status_code == 429

    elsewhere = Client()
    assert wagtail_admin(elsewhere, "canbo@x.vn", PASSWORD, IP2).status_code == 302 and signed_in(elsewhere)


def test_failures_on_different_login_forms_add_up(staff):
    fail(storefront, "canbo@x.vn", 2)
    fail(wagtail_admin, "CANBO@x.vn", 2)
    assert django_admin(Client(), "canbo@x.vn", WRONG).status_code == 429
    assert storefront(Client(), "canbo@x.vn", PASSWORD).status_code == 429


# ---------------------------------------------------------------- behind a proxy
def test_behind_a_proxy_the_client_is_read_from_x_forwarded_for(settings, shoppers):
    settings.OCOP_TRUSTED_PROXIES = 1
    for _ in range(5):
        storefront(Client(), "a@x.vn", WRONG, PROXY, HTTP_X_FORWARDED_FOR=IP1)

    spoofed = Client()  # a client writing its own first entry is still IP1 to the proxy
    assert storefront(spoofed, "a@x.vn", PASSWORD, PROXY, HTTP_X_FORWARDED_FOR=f"{IP2}, {IP1}").status_code == 429
    other = Client()
    assert storefront(other, "a@x.vn", PASSWORD, PROXY, HTTP_X_FORWARDED_FOR=IP2).status_code == 302
    assert signed_in(other)


def test_without_a_trusted_proxy_x_forwarded_for_is_ignored(shoppers):
    for n in range(5):  # an attacker writing a new address each time is still one IP
        storefront(Client(), "a@x.vn", WRONG, IP1, HTTP_X_FORWARDED_FOR=f"192.0.2.{n}")
    assert storefront(Client(), "a@x.vn", PASSWORD, IP1, HTTP_X_FORWARDED_FOR="192.0.2.99").status_code == 429
