"""The programme dashboard and the periodic report's downloads, through real requests: who gets in, the period
picker, the XLSX and CSV files (their sheets, totals and formula escaping), and a past period's report regenerated
identically, before and after a late sale lands once the period is closed."""

import csv
import datetime as dt
import io
import zipfile
from decimal import Decimal

import openpyxl
import pytest
from django.contrib.auth.models import Permission
from django.utils import timezone

from reports.models import Platform, Sale
from reports.periods import period_current
from reports.services import period_close, sale_record, sale_reverse
from showrooms.models import ShowroomMembership
from tests.support.catalogue import certify, make_producer, make_product
from tests.support.livestream import make_host, make_session
from tests.support.showrooms import an_giang_commune, make_showroom

pytestmark = pytest.mark.django_db

URL = "/shop/programme/reports/"
EXPORT = "/shop/programme/reports/export/"
Y = timezone.localdate().year - 1
Q3 = f"{Y}-Q3"  # 01/07/Y - 30/09/Y: ended, so it can be closed
EVIL_NAME = '=HYPERLINK("http://evil.example/x","Bấm vào")'
SHEETS = [
    "Tổng hợp", "Theo kênh", "Chứng nhận trong năm", "Theo nhóm", "Theo hạng sao", "Theo địa bàn",
    "Chứng nhận hết hạn", "Chưa bán kênh hiện đại", "Điểm bán theo huyện cũ", "Điểm bán theo xã",
    "Phiên livestream", "Sổ bán hàng",
]


def at(day: dt.date, hour=10):
    return timezone.make_aware(dt.datetime.combine(day, dt.time(hour, 0)))


def user(django_user_model, email, *, staff=False, perms=()):
    made = django_user_model.objects.create_user(email=email, password="pw-1234567")
    made.is_staff = staff
    made.save()
    made.user_permissions.add(*[Permission.objects.get(codename=codename) for codename in perms])
    return made


@pytest.fixture
def programme(django_user_model):
    return user(django_user_model, "canbo.baocao@example.vn", staff=True, perms=["view_sale"])


@pytest.fixture
def ledger(django_user_model):
    """Q3 of last year: an online sale (2 × 120 000), a showroom sale (1 × 95 000), a live session's sale
    (3 × 100 000) and a Shopee sale reversed (1 × 50 000, then -1 × -50 000): 6 items, 635 000 ₫. One producer is
    named like a formula, and a note starts with "="."""
    area = an_giang_commune()
    approved = timezone.make_aware(dt.datetime(Y - 2, 1, 2, 9))  # approval is read as of the report's day
    good = make_producer(name="HTX Mắm Châu Đốc", area=area, approved_at=approved)
    evil = make_producer(name=EVIL_NAME, area=area, approved_at=approved)
    quiet = make_producer(name="Hộ chưa bán trực tuyến", area=area, approved_at=approved)
    products = [make_product(producer=p, group=1, title=title) for p, title in (
        (good, "Mắm cá linh"), (evil, "@SUM(1+1) khô cá"), (quiet, "Bánh phồng"))]
    for product in products:
        certify(product, stars=4, issued_on=dt.date(Y - 1, 5, 1))
    showroom = make_showroom(name="Điểm OCOP Châu Đốc", area=area)
    session = make_session(host=make_host(django_user_model), title="Chợ phiên mắm", start=at(dt.date(Y, 8, 2), 19),
                           status="ended", actual_start=at(dt.date(Y, 8, 2), 19), actual_end=at(dt.date(Y, 8, 2), 20))

    def sell(product, day, quantity, amount, channel=Sale.Channel.ONLINE, **extra):
        return sale_record(channel=channel, occurred_at=at(day), title=product.title, quantity=quantity,
                           amount=Decimal(amount), product=product, producer=product.producer, **extra)

    sell(products[0], dt.date(Y, 7, 3), 2, 240_000)
    sell(products[2], dt.date(Y, 7, 9), 1, 95_000, Sale.Channel.SHOWROOM, showroom=showroom)
    sell(products[1], dt.date(Y, 8, 2), 3, 300_000, Sale.Channel.LIVESTREAM, live_session=session,
         note="=1+2 ghi chú")
    shopee = sell(products[1], dt.date(Y, 9, 1), 1, 50_000, Sale.Channel.EXTERNAL, platform=Platform.SHOPEE)
    sale_reverse(sale=shopee, occurred_at=at(dt.date(Y, 9, 3)))
    return {"products": products, "showroom": showroom, "producers": (good, evil, quiet)}


# ---------------------------------------------------------------- who gets in
@pytest.fixture
def outsiders(django_user_model, ledger):
    shopper = user(django_user_model, "khach@example.vn")
    producer_user = user(django_user_model, "chuthe@example.vn")
    ledger["producers"][0].users.add(producer_user)
    clerk = user(django_user_model, "nhanvien@example.vn")
    ShowroomMembership.objects.create(showroom=ledger["showroom"], user=clerk)
    staff_without = user(django_user_model, "nhanvien.vanphong@example.vn", staff=True)
    return {"shopper": shopper, "producer": producer_user, "clerk": clerk, "staff without permission": staff_without}


def test_programme_staff_see_the_dashboard_and_its_menu_entry(client, programme, ledger):
    client.force_login(programme)
    response = client.get(URL, {"period": Q3})
    assert response.status_code == 200
    page = response.content.decode()
    assert "Quý 3/" + str(Y) in page and 'id="figure-new-products"' in page
    assert "635.000\xa0₫" in page  # 240 000 + 95 000 + 300 000 + 50 000 - 50 000
    assert "Báo cáo và chỉ tiêu" in page  # the dashboard menu's entry
    assert page.count('role="img"') >= 4 and "<title" in page  # four charts, each with its title


@pytest.mark.parametrize("who", ["anonymous", "shopper", "producer", "clerk", "staff without permission"])
@pytest.mark.parametrize("url", [URL, EXPORT])
def test_no_one_else_gets_in_or_sees_a_figure(client, outsiders, who, url):
    if who != "anonymous":
        client.force_login(outsiders[who])
    response = client.get(url, {"period": Q3, "format": "xlsx"})
    if who == "staff without permission":
        assert response.status_code == 403
    else:
        assert response.status_code == 302 and "login" in response["Location"]
    body = response.content.decode(errors="replace")
    assert "635.000" not in body and "figure-" not in body and "Mắm cá linh" not in body
    assert response.get("Content-Type", "").startswith("text/html") or response.status_code == 302


# ---------------------------------------------------------------- the period picker
def test_the_default_period_is_the_current_quarter(client, programme):
    client.force_login(programme)
    response = client.get(URL)
    assert response.status_code == 200
    assert response.context["period"] == period_current()
    assert f'value="{period_current().value}" selected' in response.content.decode()


@pytest.mark.parametrize(("query", "label"), [
    ({"period": f"{Y}-H1"}, f"6 tháng đầu năm {Y}"),
    ({"period": f"{Y}"}, f"Năm {Y}"),
    ({"start": f"{Y}-07-01", "end": f"{Y}-07-31"}, f"Từ 01/07/{Y} đến 31/07/{Y}"),
])
def test_the_picker_takes_half_years_years_and_custom_ranges(client, programme, ledger, query, label):
    client.force_login(programme)
    response = client.get(URL, query)
    assert response.status_code == 200
    assert response.context["period"].label == label
    if "start" in query:  # only July: the online sale and the showroom sale, 3 items, 335 000 ₫
        assert (response.context["report"].by_channel.quantity, response.context["report"].by_channel.amount) == (
            3, 335_000)


@pytest.mark.parametrize(("query", "message"), [
    ({"period": "2026-Q9"}, "Không hiểu kỳ báo cáo"),
    ({"period": "<script>"}, "Không hiểu kỳ báo cáo"),
    ({"start": f"{Y}-07-01"}, "Chọn cả ngày bắt đầu và ngày kết thúc"),
    ({"start": f"{Y}-09-01", "end": f"{Y}-07-01"}, "phải từ ngày bắt đầu"),
    ({"start": "hôm qua", "end": f"{Y}-07-01"}, "Từ ngày"),
    ({"period": "1900"}, "nằm ngoài khoảng"),
])
def test_a_bad_period_is_a_clear_form_error_not_a_crash(client, programme, query, message):
    client.force_login(programme)
    for url in (URL, EXPORT):
        response = client.get(url, query)
        assert response.status_code == 400
        page = response.content.decode()
        assert message in page and 'id="period-errors"' in page
        assert "<script>" not in page.split('id="period-errors"')[1].split("</div>")[0]
        assert 'id="figure-sales"' not in page


def test_an_unknown_format_is_refused(client, programme):
    client.force_login(programme)
    response = client.get(EXPORT, {"period": Q3, "format": "pdf"})
    assert response.status_code == 400
    assert "xlsx hoặc csv" in response.content.decode()


# ---------------------------------------------------------------- the files
def workbook(response):
    assert response.status_code == 200
    assert response["Content-Type"] == "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    assert f'filename="bao-cao-ocop-{Q3}.xlsx"' in response["Content-Disposition"]
    return openpyxl.load_workbook(io.BytesIO(response.content))


def cells(book):
    """Every cell of every sheet: (sheet, coordinate) -> (value, type)."""
    return {(sheet.title, c.coordinate): (c.value, c.data_type)
            for sheet in book.worksheets for row in sheet.iter_rows() for c in row}


def rows_of(sheet):
    """The data rows under the header (row 4)."""
    return [list(row) for row in sheet.iter_rows(min_row=5, values_only=True)]


def test_the_xlsx_holds_every_sheet_and_the_totals(client, programme, ledger):
    client.force_login(programme)
    book = workbook(client.get(EXPORT, {"period": Q3, "format": "xlsx"}))
    assert book.sheetnames == SHEETS
    summary = {row[0]: row[1:] for row in rows_of(book["Tổng hợp"])}
    assert summary["Doanh số: thành tiền (₫)"][0] == 635_000
    assert summary["Doanh số: số lượng (sổ bán hàng, theo ngày ghi sổ)"][0] == 6
    assert summary["Phiên livestream đã phát"][0] == 1
    # three OCOP producers; the good one sold online, the evil one on a livestream; the quiet one in a showroom only
    assert summary["Chủ thể OCOP bán qua kênh hiện đại (%)"][:2] == [67, "100%"]
    channels = rows_of(book["Theo kênh"])
    assert channels[-1] == ["Tổng cộng", None, 6, 635_000]
    assert ["Sàn thương mại điện tử khác", "Shopee", 0, 0] in channels
    assert ["Điểm giới thiệu và bán sản phẩm", "Điểm OCOP Châu Đốc", 1, 95_000] in channels
    ledger_sheet = rows_of(book["Sổ bán hàng"])
    assert len(ledger_sheet) == 5 and sum(row[12] for row in ledger_sheet) == 635_000
    assert book["Sổ bán hàng"]["A5"].number_format == "DD/MM/YYYY"
    not_modern = rows_of(book["Chưa bán kênh hiện đại"])
    assert [row[2] for row in not_modern] == ["Hộ chưa bán trực tuyến"]
    assert rows_of(book["Phiên livestream"])[0][0] == "Chợ phiên mắm"


def test_a_control_character_in_the_ledger_never_stops_the_download(client, programme, ledger):
    """Rows entered before notes were cleaned (or by any other path) may hold control characters, which openpyxl
    refuses: the report still downloads, with them left out."""
    Sale.objects.filter(pk=Sale.objects.filter(booked_on__gte=dt.date(Y, 7, 1)).first().pk).update(note="đơn\x07hàng")
    client.force_login(programme)
    book = workbook(client.get(EXPORT, {"period": Q3, "format": "xlsx"}))
    assert book.sheetnames == SHEETS


def test_no_cell_is_a_formula_and_formula_like_text_stays_text(client, programme, ledger):
    client.force_login(programme)
    book = workbook(client.get(EXPORT, {"period": Q3, "format": "xlsx"}))
    everything = cells(book)
    assert not [key for key, (value, kind) in everything.items() if kind == "f"]
    texts = {value for value, kind in everything.values() if isinstance(value, str)}
    assert not [t for t in texts if t.startswith(("=", "+", "-", "@"))]
    assert "'" + EVIL_NAME in texts and "'=1+2 ghi chú" in texts and "'@SUM(1+1) khô cá" in texts
    evil_cells = [key for key, (value, _) in everything.items() if value == "'" + EVIL_NAME]
    assert all(everything[key][1] == "s" for key in evil_cells)

    archive = zipfile.ZipFile(io.BytesIO(client.get(EXPORT, {"period": Q3, "format": "csv"}).content))
    ledger_csv = list(csv.reader(io.StringIO(archive.read("14-so-ban-hang.csv").decode("utf-8-sig"))))
    flat = [cell for row in ledger_csv for cell in row]
    assert "'" + EVIL_NAME in flat and "'=1+2 ghi chú" in flat and "'@SUM(1+1) khô cá" in flat
    assert not [cell for cell in flat if cell.startswith(("=", "+", "@"))]
    assert not [cell for cell in flat if cell.startswith("-") and not cell.lstrip("-").isdigit()]


def test_the_csv_zip_holds_one_file_per_table_with_the_same_totals(client, programme, ledger):
    client.force_login(programme)
    response = client.get(EXPORT, {"period": Q3, "format": "csv"})
    assert response.status_code == 200 and response["Content-Type"] == "application/zip"
    assert f'filename="bao-cao-ocop-{Q3}.csv.zip"' in response["Content-Disposition"]
    archive = zipfile.ZipFile(io.BytesIO(response.content))
    assert archive.namelist() == [
        "01-tong-hop.csv", "02-theo-kenh.csv", "03-chung-nhan-trong-nam.csv", "04-theo-nhom.csv",
        "05-theo-hang-sao.csv", "06-theo-dia-ban.csv", "09-chung-nhan-het-han.csv",
        "10-chu-the-chua-ban-kenh-hien-dai.csv", "11-diem-ban-theo-huyen-cu.csv", "12-diem-ban-theo-xa.csv",
        "13-livestream.csv", "14-so-ban-hang.csv",
    ]
    channels = list(csv.reader(io.StringIO(archive.read("02-theo-kenh.csv").decode("utf-8-sig"))))
    assert channels[0] == ["Kênh", "Điểm bán, phiên, sàn", "Số lượng", "Thành tiền (₫)"]
    assert channels[-1] == ["Tổng cộng", "", "6", "635000"]
    stars = list(csv.reader(io.StringIO(archive.read("05-theo-hang-sao.csv").decode("utf-8-sig"))))
    assert ["4★", "6", "635000"] in stars


# ---------------------------------------------------------------- a past period, regenerated
def test_a_past_periods_report_is_identical_when_regenerated_and_after_a_late_sale_once_closed(
        client, programme, ledger):
    client.force_login(programme)
    query = {"period": Q3, "format": "xlsx"}
    first = cells(workbook(client.get(EXPORT, query)))
    first_zip = client.get(EXPORT, {**query, "format": "csv"}).content
    assert cells(workbook(client.get(EXPORT, query))) == first  # every cell of every sheet
    assert client.get(EXPORT, {**query, "format": "csv"}).content == first_zip  # byte for byte

    # The comparison would notice a change: a late sale taken in Q3 but recorded before closing changes Q3.
    product = ledger["products"][0]
    sale_record(channel=Sale.Channel.ONLINE, occurred_at=at(dt.date(Y, 9, 20)), title=product.title, quantity=1,
                amount=Decimal(120_000), product=product, producer=product.producer)
    before_closing = cells(workbook(client.get(EXPORT, query)))
    assert before_closing != first

    # Closed: another late sale of Q3 is booked today, in the open period; Q3's report does not move.
    period_close(starts_on=dt.date(Y, 7, 1), ends_on=dt.date(Y, 9, 30), user=programme)
    late = sale_record(channel=Sale.Channel.EXTERNAL, occurred_at=at(dt.date(Y, 9, 25)), title=product.title,
                       quantity=4, amount=Decimal(480_000), product=product, producer=product.producer,
                       platform=Platform.LAZADA)
    assert late.booked_on == timezone.localdate()
    assert cells(workbook(client.get(EXPORT, query))) == before_closing
    page = client.get(URL, {"period": Q3}).content.decode()
    assert "Kỳ đã khoá sổ" in page


def test_staff_who_keep_the_ledger_get_links_to_its_screens(client, programme):
    client.force_login(programme)
    assert 'id="ledger-nav"' not in client.get(URL).content.decode()  # reading only: no links to 403 pages
    programme.user_permissions.add(Permission.objects.get(codename="add_sale"))
    client.force_login(programme)
    assert 'id="ledger-nav"' in client.get(URL).content.decode()


def test_the_dashboard_menu_offers_the_reports_only_to_staff_who_may_read_them(client, outsiders, programme):
    """Oscar's dashboard menu (any staff user sees it) lists "Báo cáo và chỉ tiêu" only for those it would not
    answer with a 403."""
    client.force_login(outsiders["staff without permission"])
    assert "Báo cáo và chỉ tiêu" not in client.get("/shop/dashboard/").content.decode()
    client.force_login(programme)
    assert "Báo cáo và chỉ tiêu" in client.get("/shop/dashboard/").content.decode()
