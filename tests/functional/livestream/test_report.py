"""A session's report through HTTP: orders by each attribution path, units and revenue per featured product,
live-price units, new customers, conversion from reminders, ledger revenue once cash is in; constant queries;
the CSV; who may read it."""

import csv
import datetime as dt
import io
from decimal import Decimal

import pytest
import time_machine
from django.contrib.auth.models import Permission
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from livestream.models import LiveOrder, LiveReminder
from livestream.services import attribution_hint, live_order_attribute
from shop.fulfilment.services import part_advance, part_due, part_record_cash
from shop.money import dong_text
from shop.spreadsheets import cell_unescape
from tests.support.catalogue import make_certified_product, make_producer
from tests.support.checkout import service_basket, service_place
from tests.support.livestream import make_host, make_session, take_live

pytestmark = pytest.mark.django_db
START = timezone.make_aware(dt.datetime(2026, 12, 5, 20, 0))  # 20:00 in Asia/Ho_Chi_Minh
DURING = START + dt.timedelta(minutes=5)


@pytest.fixture
def world(django_user_model):
    producer, rival = make_producer(name="HTX Bảy Núi"), make_producer(name="HTX Khác")
    producer_user = django_user_model.objects.create_user(email="htx@example.vn", password="pw-1234567")
    rival_user = django_user_model.objects.create_user(email="khac@example.vn", password="pw-1234567")
    shopper = django_user_model.objects.create_user(email="khach@example.vn", password="pw-1234567")
    producer.users.add(producer_user)
    rival.users.add(rival_user)
    rice = make_certified_product(title="Gạo Nàng Nhen 5kg", price=Decimal("200000"), stock=100, producer=producer)
    tea = make_certified_product(title="Trà khổ qua rừng", price=Decimal("100000"), stock=100, producer=producer)
    other = make_certified_product(title="Mắm cá linh", price=Decimal("50000"), stock=100, producer=rival)
    host = make_host(django_user_model)
    session = make_session(host=host, products=[(rice, Decimal("159000")), tea], start=START, producer=producer,
                           title="Chợ phiên Bảy Núi")
    take_live(session)
    return {"producer": producer, "producer_user": producer_user, "rival_user": rival_user, "shopper": shopper,
            "rice": rice, "tea": tea, "other": other, "host": host, "session": session}


def attributed(order, session, via):
    """An order placed without a browser session gets the hint a browser would have carried."""
    LiveOrder.objects.filter(order=order).delete()
    return live_order_attribute(order=order, lines=[], hint=attribution_hint(session=session, via=via))


def place_orders(w):
    """Before the session: Bình orders once (so is not a new customer). During: Lan buys rice at the live price;
    Bình adds tea (and another producer's fish sauce) on the session page; Cường follows a session link."""
    with time_machine.travel(START - dt.timedelta(days=3), tick=False):
        service_place(service_basket([(w["tea"], 1)]), email="binh@example.vn", phone="+84912000002")
    with time_machine.travel(DURING, tick=False):
        lan = service_place(service_basket([(w["rice"], 2)]), email="Lan@Example.vn", phone="+84912000001")
        binh = service_place(service_basket([(w["tea"], 1), (w["other"], 1)]), email="binh@example.vn",
                             phone="+84912000002")
        attributed(binh, w["session"], "session_page")
        cuong = service_place(service_basket([(w["tea"], 3)]), email="cuong@example.vn", phone="+84912000003")
        attributed(cuong, w["session"], "link")
    return lan, binh, cuong


def remind(session, email, *, confirmed=True):
    return LiveReminder.objects.create(session=session, email=email, confirmed_at=timezone.now() if confirmed else None)


def staff_user(django_user_model, *, with_permission=True):
    user = django_user_model.objects.create_user(email=f"canbo{with_permission}@example.vn", password="pw-1234567")
    user.is_staff = True
    user.save()
    if with_permission:
        user.user_permissions.add(Permission.objects.get(codename="view_livesession"))
    return user


def row_for(report, product):
    return next(row for row in report.rows if row.product_id == product.pk)


def test_the_report_counts_each_path_units_revenue_new_customers_and_reminders(client, world):
    w = world
    lan, binh, cuong = place_orders(w)
    assert lan.live_order.via == LiveOrder.Via.LIVE_PRICE
    remind(w["session"], "lan@example.vn")  # confirmed, ordered (the email's case differs)
    remind(w["session"], "dung@example.vn")  # confirmed, did not order
    remind(w["session"], "cuong@example.vn", confirmed=False)  # never confirmed: not counted

    client.force_login(w["producer_user"])
    response = client.get(f"/live/{w['session'].slug}/report/")
    assert response.status_code == 200
    report = response.context["report"]
    assert report.by_via == {"live_price": 1, "session_page": 1, "link": 1}
    rice, tea = row_for(report, w["rice"]), row_for(report, w["tea"])
    assert (rice.orders, rice.units, rice.revenue, rice.live_price_units) == (1, 2, Decimal(318000), 2)
    assert (tea.orders, tea.units, tea.revenue, tea.live_price_units) == (2, 4, Decimal(400000), 0)
    other = report.rows[-1]
    assert not other.featured and (other.orders, other.units, other.revenue) == (1, 1, Decimal(50000))
    total = report.total
    assert (total.orders, total.units, total.revenue, total.live_price_units) == (3, 7, Decimal(768000), 2)
    assert report.new_customers == 2  # Lan and Cường; Bình had ordered before
    assert report.reminders == {"confirmed": 2, "converted": 1, "rate": Decimal("50.0")}
    # nothing paid yet (cash on delivery): ordered, not sold
    assert (total.sold_units, total.sold_amount, report.not_yet_sold) == (0, Decimal(0), Decimal(768000))

    html = response.content.decode()
    assert dong_text(318000) in html and dong_text(768000) in html
    assert "Tỉ lệ chuyển đổi: 50" in html and "chưa thu tiền" in html
    assert 'href="/live/%s/report.csv"' % w["session"].slug in html


def test_ledger_revenue_follows_the_cash_and_a_cancelled_part_drops_out(client, world):
    from shop.fulfilment.services import part_cancel

    w = world
    lan, binh, cuong = place_orders(w)
    part = lan.parts.get()
    part_advance(part=part, to="shipped", actor=None, carrier="VNPost", tracking_number="VN1")
    part_record_cash(part=part, amount=part_due(part), actor=None)
    part_cancel(part=cuong.parts.get(), reason="Khách đổi ý")

    client.force_login(w["producer_user"])
    report = client.get(f"/live/{w['session'].slug}/report/").context["report"]
    rice, tea = row_for(report, w["rice"]), row_for(report, w["tea"])
    assert (rice.sold_units, rice.sold_amount) == (2, Decimal(318000))
    assert (tea.orders, tea.units, tea.revenue, tea.sold_amount) == (1, 1, Decimal(100000), Decimal(0))
    assert report.total.sold_amount == Decimal(318000)
    assert report.total.revenue == Decimal(318000 + 100000 + 50000)
    assert report.not_yet_sold == Decimal(150000)
    assert report.by_via["link"] == 1  # the order still came from the session; its lines no longer count


@pytest.mark.usefixtures("uncached")
def test_the_report_costs_the_same_queries_for_one_order_or_five(client, world):
    w = world
    url = f"/live/{w['session'].slug}/report/"
    with time_machine.travel(DURING, tick=False):
        service_place(service_basket([(w["rice"], 1)]), email="mot@example.vn", phone="+84912100000")
    remind(w["session"], "mot@example.vn")
    client.force_login(w["producer_user"])
    client.get(url)  # warm caches (site, content types)
    with CaptureQueriesContext(connection) as one:
        assert client.get(url).context["report"].total.orders == 1
    with time_machine.travel(DURING, tick=False):
        for n in range(4):
            order = service_place(service_basket([(w["tea"], 1), (w["other"], 1)]), email=f"k{n}@example.vn",
                                  phone=f"+8491210000{n + 1}")
            attributed(order, w["session"], "link")
            remind(w["session"], f"k{n}@example.vn")
    with CaptureQueriesContext(connection) as five:
        assert client.get(url).context["report"].total.orders == 5
    assert len(five) == len(one), [q["sql"] for q in five.captured_queries]


def test_the_csv_parses_back_with_whole_numbers_a_totals_row_and_formulas_defused(client, world, django_user_model):
    w = world
    trap = make_certified_product(title='=HYPERLINK("http://evil.example","bấm")', price=Decimal("80000"),
                                  producer=w["producer"])
    session = make_session(host=w["host"], products=[(trap, Decimal("60000"))], start=START + dt.timedelta(hours=2),
                           producer=w["producer"], slug="phien-bay")
    take_live(session)
    with time_machine.travel(START + dt.timedelta(hours=2, minutes=1), tick=False):
        service_place(service_basket([(trap, 3)]), email="x@example.vn")

    client.force_login(staff_user(django_user_model))
    response = client.get("/live/phien-bay/report.csv")
    assert response.status_code == 200 and response["Content-Type"].startswith("text/csv")
    assert response["Content-Disposition"] == f'attachment; filename="live-phien-bay-{timezone.localdate():%Y%m%d}.csv"'
    text = response.content.decode("utf-8")
    assert text.startswith("\ufeff")
    rows = list(csv.reader(io.StringIO(text.lstrip("\ufeff"))))
    header, product, total = rows[0], rows[1], rows[-1]
    assert header[0] == "Sản phẩm" and len(rows) == 3
    assert product[0].startswith("'=HYPERLINK") and cell_unescape(product[0]) == trap.title
    assert product[1:] == ["60000", "1", "3", "180000", "3", "0", "0"]
    assert total == ["Tổng cộng", "", "1", "3", "180000", "3", "0", "0"]


def test_who_may_read_the_report(client, world, django_user_model):
    w = world
    place_orders(w)
    url, csv_url = f"/live/{w['session'].slug}/report/", f"/live/{w['session'].slug}/report.csv"
    allowed = [staff_user(django_user_model), w["producer_user"], w["host"]]
    for user in allowed:
        client.force_login(user)
        assert client.get(url).status_code == 200, user.email
        assert client.get(csv_url).status_code == 200, user.email
    refused = [w["rival_user"], w["shopper"], staff_user(django_user_model, with_permission=False)]
    for user in refused:
        client.force_login(user)
        assert client.get(url).status_code == 404, user.email
        assert client.get(csv_url).status_code == 404, user.email
    client.logout()
    for target in (url, csv_url):
        response = client.get(target)
        assert response.status_code == 302 and "/login/" in response["Location"], target
    client.force_login(w["producer_user"])
    assert client.get("/live/no-such-session/report/").status_code == 404
