"""The personal data notice and the consent a shopper gives to it, over real HTTP: the notice in the site layout and
linked from every page's footer; sign-up (Oscar's page and the sign-in page's second form) and checkout refuse
without the box and record the consent, with the notice's version, when it is ticked."""

import re
from decimal import Decimal

import pytest
import time_machine
from django.contrib.auth import get_user_model
from django.utils import timezone
from oscar.core.loading import get_model

from tests.support.catalogue import make_certified_product
from tests.support.checkout import basket_add, checkout_form, committed, last_order, place
from users.models import PrivacyConsent

pytestmark = pytest.mark.django_db
Order = get_model("order", "Order")
User = get_user_model()
REGISTER = "/shop/accounts/register/"
LOGIN = "/shop/accounts/login/"
CONSENT_REFUSED = "Vui lòng đánh dấu ô đồng ý với Thông báo xử lý dữ liệu cá nhân"


@pytest.fixture
def version(settings):
    settings.OCOP_PRIVACY_NOTICE_VERSION = "2027-01"
    return "2027-01"


@pytest.fixture
def rice():
    return make_certified_product(title="Gạo Nàng Nhen Bảy Núi", price=Decimal("200000"), stock=20)


def sign_up(client, *, url=REGISTER, email="lan@example.vn", consent=True, **extra):
    data = {"email": email, "password1": "Mat-khau-9xq2!", "password2": "Mat-khau-9xq2!", **extra}
    if url == LOGIN:
        data = {f"registration-{k}": v for k, v in data.items()} | {"registration_submit": "Register"}
    if consent:
        data["registration-privacy_consent" if url == LOGIN else "privacy_consent"] = "on"
    return client.post(url, data)


# ---------------------------------------------------------------- the notice
def test_the_notice_says_what_why_how_long_who_and_how(client, settings, version):
    settings.OCOP_PRIVACY_CONTACT_EMAIL = "dulieu@ocop.angiang.gov.vn"
    response = client.get("/privacy/")

    assert response.status_code == 200
    html = response.content.decode()
    assert 'class="site-footer"' in html and "<h1>Thông báo xử lý dữ liệu cá nhân</h1>" in html  # the site layout
    assert "Phiên bản 2027-01" in html and "Nghị định 13/2023/NĐ-CP" in html
    assert 'href="mailto:dulieu@ocop.angiang.gov.vn"' in html and "Ban điều phối" in html
    for heading in ("dữ liệu nào", "Để làm gì", "Lưu bao lâu", "Ai được nhận", "Quyền của bạn"):
        assert heading in html, heading
    assert "10 năm" in html and "3 năm" in html  # accounting; livestream records
    for url in ("/shop/accounts/profile/", "/shop/accounts/addresses/", "/shop/accounts/privacy/"):
        assert f'href="{url}"' in html, url  # where each right is exercised


def test_the_contact_defaults_to_the_site_email_address(client, settings):
    settings.OCOP_PRIVACY_CONTACT_EMAIL = ""
    settings.DEFAULT_FROM_EMAIL = "Chợ OCOP An Giang <lienhe@ocop.angiang.gov.vn>"
    html = client.get("/privacy/").content.decode()
    assert 'href="mailto:lienhe@ocop.angiang.gov.vn"' in html


def test_the_contact_is_the_site_settings_email_before_the_no_reply_sender(client, settings):
    """The address the footer shows (Wagtail's site settings), never a no-reply sender, when none is configured."""
    from wagtail.models import Site

    from cms.models import SiteSettings

    settings.OCOP_PRIVACY_CONTACT_EMAIL = ""
    settings.DEFAULT_FROM_EMAIL = "OCOP <no-reply@localhost>"
    site_settings = SiteSettings.for_site(Site.objects.get(is_default_site=True))
    site_settings.email = "lienhe@ocop.angiang.gov.vn"
    site_settings.save()
    html = client.get("/privacy/").content.decode()
    assert 'href="mailto:lienhe@ocop.angiang.gov.vn"' in html and "no-reply" not in html


def test_the_notice_in_english_and_linked_from_the_footer(client):
    assert client.get("/en/privacy/").status_code == 200
    for page in ("/shop/basket/", "/live/rules/"):
        footer = client.get(page).content.decode().split('class="site-footer"', 1)[1]
        assert 'href="/privacy/"' in footer, page
    english = client.get("/en/live/rules/").content.decode().split('class="site-footer"', 1)[1]
    assert 'href="/en/privacy/"' in english


# ---------------------------------------------------------------- sign-up
def test_sign_up_without_the_box_creates_nothing(client):
    response = sign_up(client, consent=False)

    assert response.status_code == 200
    assert CONSENT_REFUSED in response.content.decode()
    assert not User.objects.filter(email="lan@example.vn").exists() and not PrivacyConsent.objects.exists()


def test_the_sign_up_page_links_the_notice_from_its_box(client):
    html = client.get(REGISTER).content.decode()
    box = re.search(r'<input[^>]+name="privacy_consent"[^>]*>', html)
    assert box and "required" in box.group(0)
    assert re.search(r'Tôi đã đọc và đồng ý với <a href="/privacy/"[^>]*>Thông báo xử lý dữ liệu cá nhân</a>', html)


@pytest.mark.parametrize("url", [REGISTER, LOGIN])
def test_sign_up_with_the_box_records_the_consent_and_its_version(client, version, url):
    before = timezone.now()
    response = sign_up(client, url=url)

    assert response.status_code == 302
    user = User.objects.get(email="lan@example.vn")
    consent = PrivacyConsent.objects.get()
    assert (consent.user, consent.purpose, consent.notice_version, consent.email) == (user, "account", version, "")
    assert consent.given_at >= before
    assert client.get("/shop/accounts/profile/").status_code == 200  # signed in


def test_the_sign_in_page_still_signs_in_without_any_box(client, django_user_model):
    django_user_model.objects.create_user(email="binh@example.vn", password="Mat-khau-9xq2!")
    response = client.post(LOGIN, {"login-username": "binh@example.vn", "login-password": "Mat-khau-9xq2!",
                                   "login_submit": "Log In"})
    assert response.status_code == 302 and not PrivacyConsent.objects.exists()


def test_sign_ups_past_the_rate_are_refused_and_sign_ins_do_not_count(client, settings, django_user_model):
    settings.RATELIMIT_ENABLE = True
    settings.OCOP_RATE_LIMITS = {"register": "2/h"}
    django_user_model.objects.create_user(email="binh@example.vn", password="Mat-khau-9xq2!")
    with time_machine.travel(timezone.now(), tick=False):
        for _ in range(3):  # signing in is axes' business, not this limit's
            client.post(LOGIN, {"login-username": "binh@example.vn", "login-password": "Mat-khau-9xq2!",
                                "login_submit": "Log In"})
            client.logout()
        assert sign_up(client, email="mot@example.vn").status_code == 302
        client.logout()
        assert sign_up(client, url=LOGIN, email="hai@example.vn").status_code == 302
        client.logout()
        assert sign_up(client, email="ba@example.vn").status_code == 429
        assert sign_up(client, url=LOGIN, email="bon@example.vn").status_code == 429
    assert not User.objects.filter(email__in=["ba@example.vn", "bon@example.vn"]).exists()
    assert PrivacyConsent.objects.count() == 2


# ---------------------------------------------------------------- checkout
def test_checkout_without_the_box_is_refused_and_nothing_is_written(client, rice):
    basket_add(client, rice, 2)
    orders = Order.objects.count()

    response = client.post("/shop/checkout/", checkout_form(client, privacy_consent=None))

    assert response.status_code == 400
    html = response.content.decode()
    assert CONSENT_REFUSED in html and 'href="/privacy/"' in html
    assert Order.objects.count() == orders and not PrivacyConsent.objects.exists()
    assert place(client)[0].status_code == 302  # ticked, the same basket goes through
    assert last_order().num_items == 2


def test_a_guest_order_records_the_consent_with_the_order(client, rice, version):
    basket_add(client, rice)
    response, data = place(client, email="khach.le@example.vn")
    assert response.status_code == 302
    order = last_order()
    consent = PrivacyConsent.objects.get()
    assert (consent.purpose, consent.order_number, consent.email, consent.user, consent.notice_version) == (
        "order", order.number, "khach.le@example.vn", None, version
    )
    committed(client.post, "/shop/checkout/", data)  # the same checkout again: still one order, one consent
    assert Order.objects.filter(number=order.number).count() == 1 and PrivacyConsent.objects.count() == 1


def test_a_signed_in_order_records_the_consent_against_the_account(client, rice, django_user_model):
    user = django_user_model.objects.create_user(email="lan@example.vn", password="Mat-khau-9xq2!")
    client.force_login(user)
    basket_add(client, rice)
    assert place(client)[0].status_code == 302
    consent = PrivacyConsent.objects.get(purpose="order")
    assert (consent.user, consent.order_number, consent.email) == (user, last_order().number, "")
