"""CSRF on every form: no view but Stripe's webhook is exempt (walked over every URL pattern), the webhook takes only
POST, and a form of each kind sent without a token is refused (403) and writes nothing."""

import datetime as dt
import uuid
from decimal import Decimal

import pytest
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver
from django.utils import timezone
from oscar.core.loading import get_model

from catalogue.models import Product
from livestream.models import LiveReminder
from showrooms.models import ShelfStock, StockMovement
from tests.support.catalogue import make_certified_product, make_producer
from tests.support.checkout import a_commune, checkout_form
from tests.support.livestream import make_host, make_session
from tests.support.showrooms import make_clerk, make_showroom

pytestmark = pytest.mark.django_db
Line = get_model("basket", "Line")
Order = get_model("order", "Order")
WEBHOOK = "/payments/stripe/webhook/"


# ---------------------------------------------------------------- exemptions, found by walking the URLconf
def views(patterns, prefix=""):
    for entry in patterns:
        if isinstance(entry, URLResolver):
            yield from views(entry.url_patterns, prefix + str(entry.pattern))
        elif isinstance(entry, URLPattern):
            yield prefix + str(entry.pattern), entry.callback


SAFE = {"get", "head", "options"}


def checks_csrf_itself(view) -> bool:
    """Django REST framework marks every API view csrf_exempt and checks the token itself for a session user
    (SessionAuthentication.enforce_csrf). Wagtail's admin API is made of such views: the one that writes (page
    actions) takes only a session; the others only answer GET, which CSRF never concerns."""
    from rest_framework.authentication import SessionAuthentication

    cls = getattr(view, "cls", None)
    classes = getattr(cls, "authentication_classes", None)
    if not classes:
        return False
    methods = set(getattr(view, "actions", None) or {})
    return methods <= SAFE or all(issubclass(c, SessionAuthentication) for c in classes)


# RFC 8058 one-click unsubscribe: mail clients POST with no cookie and no token; the secret in the address is what
# protects it (livestream/views/reminders.py). Decided with the reminders; a forged address is a 404.
ONE_CLICK_UNSUBSCRIBE = "live/reminders/<str:token>/unsubscribe/"


def test_the_stripe_webhook_is_the_only_view_exempt_from_csrf():
    from shop.payments.webhooks import stripe_webhook

    walked = list(views(get_resolver().url_patterns))
    assert len(walked) > 300  # every app's URLs were reached: storefront, dashboard, Wagtail, Django's admin
    exempt = {(route, view) for route, view in walked
              if getattr(view, "csrf_exempt", False) and not checks_csrf_itself(view)
              and not route.endswith(ONE_CLICK_UNSUBSCRIBE)}
    assert exempt == {("payments/stripe/webhook/", stripe_webhook)}
    assert any(route.startswith("cms-admin/api/") for route, view in walked if checks_csrf_itself(view))


def test_the_one_click_unsubscribe_without_its_secret_is_a_404(django_user_model):
    host = make_host(django_user_model)
    make_session(host=host, slug="hat-sen", title="Hạt sen", start=timezone.now() + dt.timedelta(days=2))
    response = Client(enforce_csrf_checks=True).post("/live/reminders/khong-phai-ma-that/unsubscribe/")
    assert response.status_code == 404


def test_wagtails_admin_api_refuses_an_action_without_a_token(django_user_model):
    """The admin API's one writing endpoint (page actions: copy, move, publish...) checks the token itself."""
    from wagtail.models import Page

    admin = django_user_model.objects.create_superuser(email="admin@example.vn", password="pw-1234567")
    page = Page.objects.filter(depth=2).first()
    client = Client(enforce_csrf_checks=True)
    client.force_login(admin)
    before = Page.objects.count()
    response = client.post(f"/cms-admin/api/main/pages/{page.pk}/action/copy/",
                           data={"destination_page_id": page.get_parent().pk}, content_type="application/json")
    assert response.status_code == 403 and b"CSRF" in response.content
    assert Page.objects.count() == before


def test_the_webhook_takes_only_post(settings):
    settings.STRIPE_WEBHOOK_SECRET = "whsec_test"
    client = Client(enforce_csrf_checks=True)
    for method in ("get", "put", "patch", "delete", "head"):
        response = getattr(client, method)(WEBHOOK)
        assert response.status_code == 405, method
        assert response["Allow"] == "POST", method
    # A POST needs no CSRF token (Stripe has none); its signature is what is checked.
    response = client.post(WEBHOOK, data="{}", content_type="application/json", HTTP_STRIPE_SIGNATURE="t=1,v1=x")
    assert response.status_code == 400 and b"invalid signature" in response.content


# ---------------------------------------------------------------- one form of each kind, without a token
def token(client) -> str:
    return client.cookies["csrftoken"].value


def refused(response):
    return response.status_code == 403 and b"CSRF" in response.content


@pytest.fixture
def product():
    return make_certified_product(title="Mắm cá linh Châu Đốc", price=Decimal("85000"))


def test_basket_add_without_a_token_is_refused_and_adds_nothing(product):
    client = Client(enforce_csrf_checks=True)
    client.get(product.get_absolute_url())  # the page gives the visitor a token: they just did not send it
    assert refused(client.post(f"/shop/basket/add/{product.pk}/", {"quantity": 1}))
    assert not Line.objects.exists()
    # the same form with its token goes through
    response = client.post(f"/shop/basket/add/{product.pk}/", {"quantity": 1, "csrfmiddlewaretoken": token(client)})
    assert response.status_code == 302 and Line.objects.count() == 1


def test_checkout_without_a_token_is_refused_and_places_no_order(product):
    client = Client(enforce_csrf_checks=True)
    client.get(product.get_absolute_url())
    client.post(f"/shop/basket/add/{product.pk}/", {"quantity": 1, "csrfmiddlewaretoken": token(client)})
    data = checkout_form(client)
    assert refused(client.post("/shop/checkout/", data))
    assert not Order.objects.exists()
    assert Line.objects.count() == 1  # the basket is still there to check out
    response = client.post("/shop/checkout/", {**data, "csrfmiddlewaretoken": token(client)})
    assert response.status_code == 302 and Order.objects.count() == 1


def test_login_without_a_token_is_refused_and_signs_nobody_in(django_user_model):
    user = django_user_model.objects.create_user(email="lan@example.vn", password="pw-1234567")
    last_login = user.last_login
    client = Client(enforce_csrf_checks=True)
    client.get("/shop/accounts/login/")
    data = {"login-username": "lan@example.vn", "login-password": "pw-1234567", "login_submit": "1"}
    assert refused(client.post("/shop/accounts/login/", data))
    user.refresh_from_db()
    assert user.last_login == last_login and "_auth_user_id" not in client.session
    assert client.get("/shop/accounts/").status_code == 302  # still signed out: sent to the login page


def test_a_producer_form_without_a_token_is_refused_and_creates_no_product(django_user_model):
    from catalogue.models import OcopProductSet

    producer = make_producer(name="HTX Của Tôi", area=a_commune())
    seller = django_user_model.objects.create_user(email="a@example.vn", password="pw-1234567")
    producer.users.add(seller)
    client = Client(enforce_csrf_checks=True)
    client.force_login(seller)
    product_set = OcopProductSet.objects.filter(group__number=1).order_by("number").first()
    data = {"title": "Mắm cá lóc", "ocop_product_set": product_set.pk, "price": "120000", "description": "<p>Ngon</p>",
            "weight_grams": "500", "stock": "12"}
    before = Product.objects.count()
    assert refused(client.post("/shop/seller/products/new/", data))
    assert Product.objects.count() == before


def test_a_showroom_stock_form_without_a_token_is_refused_and_moves_nothing(django_user_model, product):
    showroom = make_showroom(name="Điểm OCOP Châu Đốc", code="chau-doc")
    clerk = make_clerk(django_user_model, showroom, email="an@example.vn")
    client = Client(enforce_csrf_checks=True)
    client.force_login(clerk)
    url = f"/shop/showroom-stock/chau-doc/products/{product.pk}/"
    assert client.get(url).status_code == 200
    assert refused(client.post(url, {"action": "receive", "quantity": "10", "request_key": uuid.uuid4().hex}))
    assert not StockMovement.objects.exists() and not ShelfStock.objects.filter(quantity__gt=0).exists()


def test_a_live_reminder_sign_up_without_a_token_is_refused_and_keeps_no_address(django_user_model):
    host = make_host(django_user_model)
    make_session(host=host, slug="hat-sen", title="Hạt sen", start=timezone.now() + dt.timedelta(days=2))
    client = Client(enforce_csrf_checks=True)
    client.get("/live/hat-sen/")
    assert refused(client.post("/live/hat-sen/remind/", {"email": "khach@example.vn"}))
    assert not LiveReminder.objects.exists()
