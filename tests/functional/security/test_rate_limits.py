"""Rate limits over real HTTP (shop/security/ratelimits.py): password reset, live reminder sign-up, livestream
complaints and order complaints/returns answer N posts from one IP, then our 429 page, with nothing written and no
email sent; another IP is not affected; only POSTs count; a cache that is down lets the form through. And where a
client's address comes from (shop/security/client_ip.py)."""

import datetime as dt

import pytest
import time_machine
from django.core import mail
from django.test import Client, RequestFactory
from django.utils import timezone

from livestream.models import LiveComplaint, LiveReminder
from shop.fulfilment.models import Complaint, FulfilmentPart, ReturnRequest
from shop.security.client_ip import client_ip
from shop.security.ratelimits import rate_key
from tests.support.catalogue import make_certified_product
from tests.support.checkout import committed, service_basket, service_place
from tests.support.livestream import make_host, make_session

IP1, IP2 = "203.0.113.10", "198.51.100.20"
RESET = "/shop/password-reset/"
DEAD_REDIS = "redis://127.0.0.1:6390/0"  # nothing listens there


@pytest.fixture
def limits(settings):
    """Rate limits on (the test settings turn them off for the rest of the suite), with the clock stopped so a
    test never straddles the edge of a counting window."""
    settings.RATELIMIT_ENABLE = True
    with time_machine.travel(timezone.now(), tick=False) as clock:
        yield clock


def is_limited(response) -> bool:
    if response.status_code != 429:
        return False
    assert int(response["Retry-After"]) > 0
    return True


# ---------------------------------------------------------------- password reset (5 an hour by default)
@pytest.mark.django_db
def test_password_reset_sends_five_emails_an_hour_from_one_ip(limits, django_user_model):
    django_user_model.objects.create_user(email="a@x.vn", password="dung-mat-khau-2025")
    client = Client()
    for _ in range(3):
        assert client.get(RESET, REMOTE_ADDR=IP1).status_code == 200  # reading the form does not count

    for n in range(5):
        response = committed(client.post, RESET, {"email": "a@x.vn"}, REMOTE_ADDR=IP1)
        assert response.status_code == 302 and response["Location"] == "/shop/password-reset/done/", n
    assert len(mail.outbox) == 5

    sixth = committed(client.post, RESET, {"email": "a@x.vn"}, REMOTE_ADDR=IP1)
    assert is_limited(sixth) and len(mail.outbox) == 5, "refused, and no email sent"
    html = sixth.content.decode()
    assert "Bạn thao tác quá nhanh" in html and "Vui lòng thử lại sau ít phút." in html
    assert '<html lang="vi">' in html, "in the site's layout"
    assert int(sixth["Retry-After"]) <= 3600

    other = committed(Client().post, RESET, {"email": "a@x.vn"}, REMOTE_ADDR=IP2)
    assert other.status_code == 302 and len(mail.outbox) == 6, "another IP is not affected"

    limits.shift(dt.timedelta(hours=1, seconds=10))
    again = committed(client.post, RESET, {"email": "a@x.vn"}, REMOTE_ADDR=IP1)
    assert again.status_code == 302 and len(mail.outbox) == 7, "the next hour, the first IP again"


@pytest.mark.django_db
def test_the_reset_url_keeps_oscars_name_and_refuses_a_signed_in_shopper(limits, django_user_model):
    from django.urls import reverse

    assert reverse("password-reset") == RESET
    user = django_user_model.objects.create_user(email="a@x.vn", password="dung-mat-khau-2025")
    client = Client()
    client.force_login(user)
    assert client.get(RESET, REMOTE_ADDR=IP1).status_code == 403  # Oscar's login_forbidden, as before


# ---------------------------------------------------------------- live reminder sign-up
@pytest.fixture
def session(django_user_model):
    return make_session(host=make_host(django_user_model), slug="hat-sen", start=timezone.now() + dt.timedelta(days=2))


@pytest.mark.django_db
def test_reminder_sign_ups_past_the_rate_are_refused_and_nothing_is_written(limits, settings, session):
    settings.OCOP_RATE_LIMITS = {"live-reminder": "3/h"}
    client = Client()
    for n in range(3):
        response = committed(client.post, "/live/hat-sen/remind/", {"email": f"khach{n}@x.vn"}, REMOTE_ADDR=IP1)
        assert response.status_code == 302, n
    assert LiveReminder.objects.count() == 3 and len(mail.outbox) == 3

    fourth = committed(client.post, "/live/hat-sen/remind/", {"email": "khach3@x.vn"}, REMOTE_ADDR=IP1)
    assert is_limited(fourth)
    as_json = committed(client.post, "/live/hat-sen/remind/", {"email": "khach4@x.vn"}, REMOTE_ADDR=IP1,
                        HTTP_ACCEPT="application/json")
    assert is_limited(as_json) and as_json.json()["ok"] is False and as_json.json()["message"]
    assert LiveReminder.objects.count() == 3 and len(mail.outbox) == 3

    other = committed(Client().post, "/live/hat-sen/remind/", {"email": "khach5@x.vn"}, REMOTE_ADDR=IP2)
    assert other.status_code == 302 and LiveReminder.objects.count() == 4


# ---------------------------------------------------------------- complaints
@pytest.mark.django_db
def test_livestream_complaints_past_the_rate_are_refused(limits, settings, session):
    settings.OCOP_RATE_LIMITS = {"complaint": "2/h"}
    client = Client()
    url = "/live/hat-sen/complaint/"
    assert client.get(url, REMOTE_ADDR=IP1).status_code == 302  # a GET does not count
    for n in range(2):
        data = {"name": "Lê Thị Thu", "phone": "0912 345 678", "email": "", "key": "", "message": f"Hàng lỗi {n}"}
        assert client.post(url, data, REMOTE_ADDR=IP1).status_code == 302, n
    third = client.post(url, {"name": "Lê Thị Thu", "phone": "0912 345 678", "email": "", "key": "",
                              "message": "Hàng lỗi 2"}, REMOTE_ADDR=IP1)
    assert is_limited(third) and LiveComplaint.objects.count() == 2


@pytest.fixture
def order():
    product = make_certified_product(title="Bánh pía Sóc Trăng")
    return service_place(service_basket([(product, 1)]))


@pytest.mark.django_db
def test_order_complaints_and_returns_share_a_rate_that_cancelling_does_not_count_against(limits, settings, order):
    settings.OCOP_RATE_LIMITS = {"complaint": "2/h"}
    part = order.parts.get()
    url = f"/shop/orders/{order.number}/{order.verification_hash()}/"
    client = Client()
    for n in range(2):
        response = client.post(url, {"action": "complain", "part": part.pk, "message": f"Chưa giao {n}"},
                               REMOTE_ADDR=IP1)
        assert response.status_code == 302, n
    assert Complaint.objects.count() == 2

    third = client.post(url, {"action": "complain", "part": part.pk, "message": "Chưa giao 2"}, REMOTE_ADDR=IP1)
    assert is_limited(third) and Complaint.objects.count() == 2

    FulfilmentPart.objects.filter(pk=part.pk).update(status=FulfilmentPart.Status.DELIVERED,
                                                     delivered_at=timezone.now())
    a_return = client.post(url, {"action": "return", "part": part.pk, "reason": "Hộp bị móp"}, REMOTE_ADDR=IP1)
    assert is_limited(a_return) and not ReturnRequest.objects.exists()


@pytest.mark.django_db
def test_cancelling_a_part_is_not_rate_limited(limits, settings, order):
    settings.OCOP_RATE_LIMITS = {"complaint": "1/h"}
    part = order.parts.get()
    url = f"/shop/orders/{order.number}/{order.verification_hash()}/"
    client = Client()
    assert client.post(url, {"action": "complain", "part": part.pk, "message": "Chưa giao"}, REMOTE_ADDR=IP1)\
        .status_code == 302
    assert is_limited(client.post(url, {"action": "complain", "part": part.pk, "message": "Lần 2"}, REMOTE_ADDR=IP1))

    cancel = client.post(url, {"action": "cancel", "part": part.pk}, REMOTE_ADDR=IP1)
    assert cancel.status_code == 302
    part.refresh_from_db()
    assert part.status == FulfilmentPart.Status.CANCELLED


# ---------------------------------------------------------------- a cache that is down
@pytest.mark.django_db
def test_a_cache_that_is_down_lets_the_form_through(limits, settings, django_user_model):
    settings.CACHES = {"default": {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": DEAD_REDIS}}
    settings.OCOP_RATE_LIMITS = {"password-reset": "1/h"}
    django_user_model.objects.create_user(email="a@x.vn", password="dung-mat-khau-2025")
    client = Client()
    for _ in range(3):
        response = committed(client.post, RESET, {"email": "a@x.vn"}, REMOTE_ADDR=IP1)
        assert response.status_code == 302
    assert len(mail.outbox) == 3, "nothing counted, nothing refused"


@pytest.mark.django_db
def test_failing_closed_refuses_when_the_counting_cache_is_down(limits, settings, django_user_model):
    settings.CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"},
                       "counts": {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": DEAD_REDIS}}
    settings.RATELIMIT_USE_CACHE = "counts"
    settings.RATELIMIT_FAIL_OPEN = False
    response = committed(Client().post, RESET, {"email": "a@x.vn"}, REMOTE_ADDR=IP1)
    assert response.status_code == 429 and not mail.outbox


# ---------------------------------------------------------------- who the client is
@pytest.mark.parametrize(
    "proxies, remote, forwarded, expected",
    [
        (0, IP1, "", IP1),
        (0, IP1, "192.0.2.1", IP1),  # no proxy of ours: the header is the client's own words
        (1, "10.0.0.2", IP1, IP1),
        (1, "10.0.0.2", f"192.0.2.1, {IP1}", IP1),  # what the client wrote itself stays on the left
        (2, "10.0.0.3", f"192.0.2.1, {IP1}, 10.0.0.2", IP1),
        (2, "10.0.0.3", IP1, IP1),  # fewer hops than proxies: the leftmost
        (1, "10.0.0.2", f"{IP1}:51234", IP1),  # a proxy that writes the port
        (1, "10.0.0.2", "[2001:db8::7]:443", "2001:db8::7"),
        (1, "10.0.0.2", "not-an-address", "10.0.0.2"),
        (1, "10.0.0.2", "", "10.0.0.2"),
    ],
)
def test_client_ip(settings, proxies, remote, forwarded, expected):
    settings.OCOP_TRUSTED_PROXIES = proxies
    extra = {"HTTP_X_FORWARDED_FOR": forwarded} if forwarded else {}
    assert client_ip(RequestFactory().get("/", REMOTE_ADDR=remote, **extra)) == expected


def test_an_ipv6_client_is_counted_by_its_64():
    one = RequestFactory().post("/", REMOTE_ADDR="2001:db8:1:2::a")
    other = RequestFactory().post("/", REMOTE_ADDR="2001:db8:1:2:ffff::b")
    elsewhere = RequestFactory().post("/", REMOTE_ADDR="2001:db8:1:3::a")
    assert rate_key("g", one) == rate_key("g", other) == "2001:db8:1:2::"
    assert rate_key("g", elsewhere) != rate_key("g", one)
