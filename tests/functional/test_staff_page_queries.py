"""Staff and host list pages cost a constant number of queries, at most 20, whatever the number of rows.

Each page is rendered as the role that reaches it (the session's host or programme staff for the live control page,
programme staff with Oscar's model permissions for the dashboard), uncached, at a small and a larger number of rows
(larger than one page where the page paginates). Its second request is measured (the first settles the session and
the caches); both sizes must cost the same, at most ``LIMIT``, and the rows must be on the page.

The fixes: livestream/selectors.py ``session_control_features`` (the control page's products, certificates and
documents in three queries); the forks shop/dashboard/catalogue (stock alerts), shop/dashboard/partners (partners),
shop/dashboard/users (product alerts) and shop/dashboard/offers (offers), each overriding one list view's queryset.
"""

from __future__ import annotations

import datetime as dt
import re
from decimal import Decimal

import pytest
from django.contrib.auth.models import Permission
from django.utils import timezone
from oscar.core.loading import get_model

from tests.support.catalogue import certify, make_certified_product, make_producer, make_product, make_programme_staff
from tests.support.livestream import make_host, make_session, take_live
from tests.support.queries import assert_constant
from users.models import User

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("uncached")]

Country = get_model("address", "Country")
PartnerAddress = get_model("partner", "PartnerAddress")
Product = get_model("catalogue", "Product")
ProductAlert = get_model("customer", "ProductAlert")
StockAlert = get_model("partner", "StockAlert")





def title(product) -> str:
    return product.title


# ---------------------------------------------------------------- the live control page
@pytest.fixture
def host(django_user_model):
    return make_host(django_user_model)


@pytest.fixture
def programme_staff(django_user_model):
    user = django_user_model.objects.create_user(email="canbo.live@example.vn", password="pw-1234567")
    user.is_staff = True
    user.save(update_fields=["is_staff"])
    user.user_permissions.add(*Permission.objects.filter(content_type__app_label="livestream"))
    return User.objects.get(pk=user.pk)


@pytest.fixture
def featured():
    return [make_certified_product(title=f"Gạo số {i:02d}", price=Decimal("90000")) for i in range(12)]


def _documents(product):
    from django.core.files.base import ContentFile

    from livestream.models import QualityDocument

    return QualityDocument.objects.create(product=product, title=f"Phiếu kiểm nghiệm {product.title}",
                                          file=ContentFile(b"%PDF-1.4", name="phieu.pdf"))


def _session(host, products, n, *, live):
    start = timezone.now() - dt.timedelta(minutes=5 + n) if live else timezone.now() + dt.timedelta(minutes=10)
    session = make_session(host=host, products=[(p, Decimal("70000"), 50, 2) for p in products[:n]], start=start,
                           minutes=120, slug=f"phien-{'live' if live else 'hen'}-{n}")
    if live:
        take_live(session, at=session.scheduled_start)
    return session


@pytest.mark.parametrize("role", ["host", "programme_staff"])
def test_live_control_page_of_a_live_session(client, request, host, featured, role):
    for product in featured:
        _documents(product)
    sessions = {n: _session(host, featured, n, live=True) for n in (2, 12)}
    client.force_login(request.getfixturevalue(role))
    assert_constant(client, lambda n: f"/live/{sessions[n].slug}/control/", lambda i: featured[i], title)
    html = client.get(f"/live/{sessions[12].slug}/control/").content.decode()
    assert html.count('data-testid="check-product" data-ok="yes"') == 12
    assert html.count("Phiếu kiểm nghiệm Gạo số") == 12, "each product's quality documents"
    assert all(product.current_certificate().decision_number in html for product in featured)


def test_live_control_page_of_a_scheduled_session(client, host, featured):
    sessions = {n: _session(host, featured, n, live=False) for n in (2, 12)}
    client.force_login(host)
    for n in (2, 12):  # every product checked and the session ready, whatever the count below
        html = client.get(f"/live/{sessions[n].slug}/control/").content.decode()
        assert html.count('data-testid="check-product" data-ok="yes"') == n and 'data-testid="ready"' in html
    assert_constant(client, lambda n: f"/live/{sessions[n].slug}/control/", lambda i: featured[i], title)


def test_live_control_page_gate_answers_are_unchanged(client, host):
    """The prefetched certificates give the gate's own answers: an expired or revoked certificate is not current,
    a renewal is, and a variant counts its parent's certificate (read by the gate itself)."""
    today = timezone.localdate()
    expired = make_product(title="Mắm hết hạn")
    certify(expired, issued_on=today - dt.timedelta(days=1200), expires_on=today - dt.timedelta(days=1))
    revoked = make_product(title="Mắm bị thu hồi")
    certify(revoked, revoked=True)
    renewed = make_product(title="Mắm tái chứng nhận")
    certify(renewed, issued_on=today - dt.timedelta(days=1100), decision_number="1/QĐ-CU")
    current = certify(renewed, issued_on=today - dt.timedelta(days=10), decision_number="2/QĐ-MOI")
    parent = make_certified_product(title="Trà mãng cầu")
    child = Product.objects.create(parent=parent, structure=Product.CHILD, title="Trà mãng cầu hộp 20 gói",
                                   producer=parent.producer, product_class=None)
    session = make_session(host=host, products=[expired, revoked, renewed, child])
    client.force_login(host)
    html = client.get(f"/live/{session.slug}/control/").content.decode()
    assert re.findall(r'data-testid="check-product" data-ok="(yes|no)"', html) == ["no", "no", "yes", "yes"]
    assert current.decision_number in html and "1/QĐ-CU" not in html


# ---------------------------------------------------------------- Oscar's dashboard
@pytest.fixture
def dashboard_staff(django_user_model):
    """Programme staff with the model permissions Oscar's catalogue, partner, offer and alert dashboards ask for."""
    user = make_programme_staff(django_user_model)
    user.user_permissions.add(*Permission.objects.filter(
        content_type__app_label__in=["catalogue", "partner", "offer", "customer", "users"]))
    return User.objects.get(pk=user.pk)


def test_dashboard_stock_alerts(client, dashboard_staff):
    def alert(i):
        producer = make_producer(name=f"HTX Ong Mật {i:02d}")
        product = make_certified_product(title=f"Mật ong số {i:02d}", producer=producer)
        StockAlert.objects.create(stockrecord=product.stockrecords.get(), threshold=5)
        return product

    client.force_login(dashboard_staff)
    assert_constant(client, "/shop/dashboard/catalogue/stock-alerts/", alert, title, sizes=(2, 22), shown=(2, 20))
    html = client.get("/shop/dashboard/catalogue/stock-alerts/").content.decode()
    assert "HTX Ong Mật 21" in html, "each alert's partner"


def test_dashboard_partners(client, dashboard_staff, django_user_model):
    country = Country.objects.get(iso_3166_1_a2="VN")

    def partner(i):
        producer = make_producer(name=f"HTX số {i:02d}")
        for k in range(2):
            producer.users.add(django_user_model.objects.create_user(
                email=f"thanhvien{i:02d}-{k}@example.vn", password="x", first_name=f"Thành viên {i:02d}-{k}"))
        PartnerAddress.objects.create(partner=producer, line1=f"Số {i} đường Trưng Nữ Vương", line4="Châu Đốc",
                                      country=country)
        return producer

    client.force_login(dashboard_staff)
    assert_constant(client, "/shop/dashboard/partners/", partner, lambda p: p.name)
    html = client.get("/shop/dashboard/partners/").content.decode()
    assert "Thành viên 11-1" in html and "Số 11 đường Trưng Nữ Vương" in html and country.printable_name in html


def test_dashboard_product_alerts(client, dashboard_staff, django_user_model):
    def alert(i):
        product = make_certified_product(title=f"Bánh pía số {i:02d}", stock=0)
        if i % 2:
            user = django_user_model.objects.create_user(email=f"khach{i:02d}@example.vn", password="x")
            return ProductAlert.objects.create(user=user, product=product)
        return ProductAlert.objects.create(email=f"khach{i:02d}@example.vn", product=product)

    client.force_login(dashboard_staff)
    assert_constant(client, "/shop/dashboard/users/alerts/", alert,
                    lambda a: a.user.email if a.user_id else a.email, sizes=(2, 22), shown=(2, 20))
    html = client.get("/shop/dashboard/users/alerts/").content.decode()
    assert "Bánh pía số 21" in html, "each alert's product"


@pytest.mark.filterwarnings("ignore::django.core.paginator.UnorderedObjectListWarning")  # Oscar's own list
def test_dashboard_offers(client, dashboard_staff, django_user_model):
    from oscar.apps.offer.conditions import CountCondition

    def on_air(i):
        session = make_session(host=make_host(django_user_model), title=f"Phiên giá live {i:02d}",
                               start=timezone.now() - dt.timedelta(minutes=5),
                               products=[(make_certified_product(price=Decimal("90000")), Decimal("70000"))])
        take_live(session)
        return session

    client.force_login(dashboard_staff)
    assert_constant(client, "/shop/dashboard/offers/", on_air, title)
    html = client.get("/shop/dashboard/offers/").content.decode()
    ConditionalOffer = get_model("offer", "ConditionalOffer")
    offers = list(ConditionalOffer.objects.select_related("condition__range", "benefit"))
    assert len(offers) == 12
    for offer in offers:  # Oscar's own wording, each with its range
        name = CountCondition.objects.get(pk=offer.condition_id).name
        assert str(offer.condition.range).lower() in name and name in html  # rendered |safe
        assert offer.benefit.description in html
