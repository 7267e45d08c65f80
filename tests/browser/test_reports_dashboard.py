"""The programme dashboard in Chromium: staff log in, open the dashboard from the dashboard menu's address, pick a
quarter, read the figures and charts, and download the XLSX report; the file opens with openpyxl and holds the
expected sheets and totals. A desktop screenshot goes to var/screenshots/reports-dashboard.png.

Its own producers, sales and staff user (no demo data), and nothing may be fetched from the network."""

import datetime as dt
import re
from decimal import Decimal
from pathlib import Path

import openpyxl
import pytest
from django.contrib.auth.models import Permission
from django.core.management import call_command
from django.utils import timezone
from playwright.sync_api import expect

from catalogue.demo import DEMO_PASSWORD
from reports.models import Platform, Sale
from reports.services import sale_record, sale_reverse
from tests.support.browser import DESKTOP, assert_clean, log_in
from tests.support.catalogue import certify, make_producer, make_product
from tests.support.livestream import make_host, make_session
from tests.support.showrooms import an_giang_commune, make_showroom

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

STAFF = "canbo.baocao@example.vn"
Y = timezone.localdate().year - 1
APPROVED = timezone.make_aware(dt.datetime(Y - 3, 1, 2, 9))  # approval is read as of the report's day
SCREENSHOT = Path(__file__).resolve().parents[2] / "var" / "screenshots" / "reports-dashboard.png"


def at(day: dt.date, hour=10):
    return timezone.make_aware(dt.datetime.combine(day, dt.time(hour, 0)))


@pytest.fixture
def office(transactional_db, django_user_model):
    call_command("seed_reference_data", verbosity=0)  # transactional tests empty the tables afterwards
    staff = django_user_model.objects.create_user(email=STAFF, password=DEMO_PASSWORD, first_name="Thảo")
    staff.is_staff = True
    staff.save()
    staff.user_permissions.add(Permission.objects.get(codename="view_sale"))
    chau_doc, long_xuyen = an_giang_commune("Châu Đốc"), an_giang_commune("Long Xuyên")
    showroom = make_showroom(name="Điểm OCOP Châu Đốc", area=chau_doc)
    session = make_session(host=make_host(django_user_model), title="Chợ phiên mắm Châu Đốc",
                           start=at(dt.date(Y, 8, 2), 19), status="ended", actual_start=at(dt.date(Y, 8, 2), 19),
                           actual_end=at(dt.date(Y, 8, 2), 20))
    rows = [  # producer, commune, product, group, stars, channel, quantity, amount
        ("HTX Mắm Bà Giáo", chau_doc, "Mắm cá linh Châu Đốc", 1, 4, Sale.Channel.ONLINE, 6, 720_000),
        ("HTX Mắm Bà Giáo", chau_doc, "Mắm cá lóc", 1, 4, Sale.Channel.SHOWROOM, 4, 380_000),
        ("Cơ sở Trà Tịnh Biên", long_xuyen, "Trà khổ qua rừng", 3, 3, Sale.Channel.LIVESTREAM, 10, 650_000),
        ("HTX Dệt thổ cẩm Văn Giáo", long_xuyen, "Khăn thổ cẩm", 4, 3, Sale.Channel.EXTERNAL, 3, 450_000),
        ("Cơ sở Rượu nếp An Phú", long_xuyen, "Rượu nếp An Phú", 2, 5, Sale.Channel.EXTERNAL, 2, 300_000),
    ]
    producers, last = {}, None
    for index, (name, area, title, group, stars, channel, quantity, amount) in enumerate(rows):
        producer = producers.get(name) or producers.setdefault(name, make_producer(name=name, area=area, approved_at=APPROVED))
        product = make_product(title=title, producer=producer, group=group)
        certify(product, stars=stars, issued_on=dt.date(Y, 2 + index, 10))
        extra = {Sale.Channel.SHOWROOM: {"showroom": showroom}, Sale.Channel.LIVESTREAM: {"live_session": session},
                 Sale.Channel.EXTERNAL: {"platform": [Platform.SHOPEE, Platform.SUPERMARKET][index % 2]}}.get(
            channel, {})
        last = sale_record(channel=channel, occurred_at=at(dt.date(Y, 7 + index % 3, 5 + index)), title=title,
                           quantity=quantity, amount=Decimal(amount), product=product, producer=producer, **extra)
    sale_reverse(sale=last, occurred_at=at(dt.date(Y, 9, 20)))  # the wine came back: -2, -300 000
    quiet = make_producer(name="Hộ Bánh phồng Phú Mỹ", area=long_xuyen, approved_at=APPROVED)
    certify(make_product(title="Bánh phồng nếp", producer=quiet), stars=3, issued_on=dt.date(Y - 2, 8, 1))
    return staff


def test_staff_pick_a_quarter_read_the_figures_and_download_the_report(page, live_server, office, offline, tmp_path):
    offline(page)
    page.set_viewport_size(DESKTOP)
    log_in(page, live_server, STAFF)
    page.goto(live_server.url + "/shop/programme/reports/")
    expect(page.locator("h1")).to_have_text(re.compile("Báo cáo và chỉ tiêu OCOP"))

    page.locator("#id_period").select_option(f"{Y}-Q3")
    page.get_by_role("button", name="Xem", exact=True).first.click()
    page.wait_for_url(re.compile(rf"period={Y}-Q3"))
    expect(page.locator("#period-heading")).to_contain_text(f"Quý 3/{Y}")
    # 720 000 + 380 000 + 650 000 + 450 000 + 300 000 - 300 000 = 2 200 000 ₫; 6 + 4 + 10 + 3 + 2 - 2 = 23 items
    expect(page.locator("#figure-sales .report-figure__number")).to_have_text("2.200.000\u00a0₫")
    expect(page.locator("#figure-live .report-figure__number")).to_have_text("1")
    # 5 new products in Y (Feb-Jun), 4★+: the two 4★ and the 5★ = 3 (the default targets: 50-60 and 5)
    expect(page.locator("#figure-new-products .report-figure__number")).to_have_text("5")
    expect(page.locator("#figure-four-star .report-figure__number")).to_have_text("3")
    charts = page.locator("svg.report-chart[role=img]")
    expect(charts).to_have_count(4)
    assert "kênh" in charts.first.locator("title").first.text_content()
    expect(page.locator("#table-channel")).to_contain_text("Chợ phiên mắm Châu Đốc")
    expect(page.locator("#table-not-modern")).to_contain_text("Hộ Bánh phồng Phú Mỹ")
    assert page.evaluate("document.documentElement.scrollWidth") <= DESKTOP["width"]

    SCREENSHOT.parent.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SCREENSHOT), full_page=True)

    with page.expect_download() as download_info:
        page.locator("#download-xlsx").click()
    download = download_info.value
    assert download.suggested_filename == f"bao-cao-ocop-{Y}-Q3.xlsx"
    target = tmp_path / download.suggested_filename
    download.save_as(target)
    book = openpyxl.load_workbook(target)
    assert book.sheetnames[:2] == ["Tổng hợp", "Theo kênh"] and "Sổ bán hàng" in book.sheetnames
    assert len(book.sheetnames) == 12
    totals = [row for row in book["Theo kênh"].iter_rows(min_row=5, values_only=True) if row[0] == "Tổng cộng"]
    assert totals == [("Tổng cộng", None, 23, 2_200_000)]
    assert_clean(offline)
