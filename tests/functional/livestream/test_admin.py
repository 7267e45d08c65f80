"""Livestream in the Wagtail admin (livestream/wagtail_hooks.py, admin_views.py, choosers.py): programme staff
schedule sessions with featured products and live prices, record host identity checks and quality documents, and
answer complaints; the schedule rules of livestream/services.py refuse what they refuse, with nothing saved."""

import datetime as dt
import json
from decimal import Decimal

import pytest
from django.contrib.auth.models import Permission
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone
from oscar.core.loading import get_model
from wagtail.test.utils.form_data import inline_formset, nested_form_data, querydict_from_html

from catalogue.certification import ocop_today
from livestream.models import FeaturedProduct, HostIdentityCheck, LiveComplaint, LiveSession, QualityDocument
from livestream.services import session_end
from tests.support.catalogue import certify, make_certified_product, make_product
from tests.support.livestream import make_host, make_session, take_live

pytestmark = pytest.mark.django_db

ConditionalOffer = get_model("offer", "ConditionalOffer")

LIST_URL = "/cms-admin/livestream/sessions/"
ADD_URL = "/cms-admin/livestream/sessions/new/"
CHOOSER_URL = "/cms-admin/livestream/choose-product/"
START = timezone.make_aware(dt.datetime(2026, 12, 5, 20, 0))  # 20:00 in Asia/Ho_Chi_Minh


def edit_url(session):
    return f"/cms-admin/livestream/sessions/edit/{session.pk}/"


def grant(user, *codenames, app_label=None):
    permissions = Permission.objects.filter(codename__in=codenames) if codenames else Permission.objects.none()
    if app_label:
        permissions = permissions | Permission.objects.filter(content_type__app_label=app_label)
    user.user_permissions.add(*permissions)


@pytest.fixture
def staff(django_user_model):
    """Programme staff as the demo group will have them: admin access and the livestream model permissions."""
    user = django_user_model.objects.create_user(email="canbo.live@example.vn", password="pw-1234567",
                                                 first_name="Lan")
    user.is_staff = True
    user.save(update_fields=["is_staff"])
    grant(user, "access_admin", app_label="livestream")
    return user


@pytest.fixture
def rice():
    return make_certified_product(title="Gạo Nàng Nhen Bảy Núi 5kg", price=Decimal("200000"))


@pytest.fixture
def fish_sauce():
    return make_certified_product(title="Mắm cá linh Châu Đốc", price=Decimal("120000"))


def local(moment):
    return timezone.localtime(moment).strftime("%Y-%m-%d %H:%M")


def session_data(*, host, rows, start=START, minutes=60, **fields):
    data = {
        "title": "Chợ phiên OCOP An Giang",
        "slug": "",
        "description": "Giới thiệu đặc sản Bảy Núi.",
        "host": host.pk,
        "producer": "",
        "platform": "own",
        "stream_url": "https://www.youtube.com/watch?v=live1",
        "scheduled_start": local(start),
        "scheduled_end": local(start + dt.timedelta(minutes=minutes)),
        "replay_url": "",
        "notes": "",
        "featured": inline_formset(rows),
    }
    data.update(fields)
    return nested_form_data(data)


def row(product, position=0, price="", limit="", per_customer="", pinned=False):
    data = {"product": product.pk, "position": str(position), "live_price": str(price), "quantity_limit": str(limit),
            "per_customer_limit": str(per_customer)}
    if pinned:
        data["is_pinned"] = "on"
    return data


def messages_of(response) -> list[str]:
    return [str(m) for m in response.context["messages"]] if response.context else []


def edit_form_data(client, session):
    """What the browser would post back for the edit form as rendered (hidden row ids included)."""
    response = client.get(edit_url(session))
    assert response.status_code == 200
    data = querydict_from_html(response.content.decode(), form_id="w-editor-form")
    flat = {key: data.getlist(key) if len(data.getlist(key)) > 1 else data[key] for key in data
            if "__prefix__" not in key}
    for key in flat:
        if key.endswith("-is_pinned"):  # a checked box without a value attribute: the browser sends "on"
            flat[key] = "on"
    return flat


# ---------------------------------------------------------------- scheduling through the admin
def test_staff_schedule_a_session_with_two_products_and_a_live_price(client, staff, rice, fish_sauce,
                                                                       django_user_model):
    host = make_host(django_user_model)
    client.force_login(staff)
    menu = client.get("/cms-admin/").content.decode()
    assert LIST_URL in menu, "the Livestream group is in the menu"

    response = client.post(ADD_URL, session_data(host=host, rows=[
        row(rice, 0, price="159000", limit="100", per_customer="2", pinned=True), row(fish_sauce, 1),
    ]))

    assert response.status_code == 302, messages_of(client.get(ADD_URL))
    session = LiveSession.objects.get()
    assert session.slug == "cho-phien-ocop-an-giang", "a blank slug comes from the title, without accents"
    assert session.created_by == staff and session.status == LiveSession.Status.SCHEDULED
    assert timezone.localtime(session.scheduled_start).strftime("%H:%M %d/%m/%Y") == "20:00 05/12/2026"
    features = list(session.featured.order_by("position").select_related("offer__benefit"))
    assert [f.product for f in features] == [rice, fish_sauce]
    assert features[0].is_pinned and not features[1].is_pinned
    priced = features[0]
    assert priced.offer is not None, "saving the session synced the live-price offer"
    assert priced.offer.status == ConditionalOffer.SUSPENDED, "suspended until the session goes live"
    assert priced.offer.benefit.value == Decimal("159000") and priced.offer.benefit.max_affected_items == 2
    assert features[1].offer is None, "no live price, no offer"

    listing = client.get(LIST_URL).content.decode()
    assert "Chợ phiên OCOP An Giang" in listing
    assert f"/live/{session.slug}/control/" in listing, "the list links to the control page"
    edit = client.get(edit_url(session)).content.decode()
    assert f"/live/{session.slug}/control/" in edit and f"/live/{session.slug}/report/" in edit


def test_editing_moves_the_pin_changes_the_live_price_and_a_removed_row_gives_up_its_offer(
        client, staff, rice, fish_sauce, django_user_model):
    host = make_host(django_user_model)
    session = make_session(host=host, products=[(rice, Decimal("159000")), (fish_sauce, Decimal("99000"))],
                           start=START)
    FeaturedProduct.objects.filter(session=session, product=rice).update(is_pinned=True)
    removed_offer = FeaturedProduct.objects.get(session=session, product=fish_sauce).offer_id
    client.force_login(staff)

    data = edit_form_data(client, session)
    rows = {data[f"featured-{i}-product"]: i for i in range(int(data["featured-TOTAL_FORMS"]))}
    rice_row, fish_row = rows[str(rice.pk)], rows[str(fish_sauce.pk)]
    assert data[f"featured-{rice_row}-is_pinned"] == "on"
    data.pop(f"featured-{rice_row}-is_pinned")
    data[f"featured-{fish_row}-is_pinned"] = "on"
    data[f"featured-{rice_row}-live_price"] = "149000"
    response = client.post(edit_url(session), data)
    assert response.status_code == 302, messages_of(client.get(edit_url(session)))
    assert [f.product for f in session.featured.filter(is_pinned=True)] == [fish_sauce], "the pin moved in one save"
    feature = FeaturedProduct.objects.select_related("offer__benefit").get(session=session, product=rice)
    assert feature.offer.benefit.value == Decimal("149000"), "the offer follows the row"

    data = edit_form_data(client, session)
    data[f"featured-{fish_row}-DELETE"] = "1"
    response = client.post(edit_url(session), data)
    assert response.status_code == 302, messages_of(client.get(edit_url(session)))
    feature = FeaturedProduct.objects.get(session=session)
    assert feature.product == rice and not feature.is_pinned
    assert ConditionalOffer.objects.get(pk=removed_offer).status == ConditionalOffer.SUSPENDED

    data = edit_form_data(client, session)
    data["featured-0-is_pinned"] = "on"
    assert client.post(edit_url(session), data).status_code == 302
    assert FeaturedProduct.objects.get(session=session).is_pinned


def test_an_overlapping_booking_is_refused_and_nothing_is_saved(client, staff, rice, django_user_model):
    host = make_host(django_user_model)
    make_session(host=host, products=[rice], start=START, title="Phiên tối thứ Bảy")
    client.force_login(staff)

    response = client.post(ADD_URL, session_data(host=host, start=START + dt.timedelta(minutes=30),
                                                 rows=[row(rice, price="150000")], title="Phiên chồng giờ"))

    assert response.status_code == 200
    assert "Người dẫn đã có phiên “Phiên tối thứ Bảy” lúc 20:00 05/12/2026, trùng giờ với phiên này." in \
        response.content.decode()
    assert not LiveSession.objects.filter(title="Phiên chồng giờ").exists()
    assert FeaturedProduct.objects.count() == 1 and ConditionalOffer.objects.count() == 0


def test_an_uncertified_product_or_an_end_before_the_start_is_refused(client, staff, rice, django_user_model):
    host = make_host(django_user_model)
    honey = make_product(title="Mật ong chưa chứng nhận")
    client.force_login(staff)

    response = client.post(ADD_URL, session_data(host=host, rows=[row(rice), row(honey, 1, price="90000")]))
    assert response.status_code == 200
    assert ("“Mật ong chưa chứng nhận” không có giấy chứng nhận OCOP còn hiệu lực: không giới thiệu trong phiên "
            "live được.") in response.content.decode()

    response = client.post(ADD_URL, session_data(host=host, rows=[row(rice)], minutes=-30))
    assert response.status_code == 200
    assert "Giờ kết thúc phải sau giờ bắt đầu." in response.content.decode()
    assert not LiveSession.objects.exists() and not FeaturedProduct.objects.exists()
    assert not ConditionalOffer.objects.exists()


def test_a_live_price_must_be_below_the_current_price_and_limits_need_one(client, staff, rice, django_user_model):
    host = make_host(django_user_model)
    client.force_login(staff)

    response = client.post(ADD_URL, session_data(host=host, rows=[row(rice, price="200000")]))
    assert response.status_code == 200
    assert "Giá live phải thấp hơn giá hiện tại của “Gạo Nàng Nhen Bảy Núi 5kg” (200.000\u00a0₫)." in \
        response.content.decode()
    response = client.post(ADD_URL, session_data(host=host, rows=[row(rice, limit="10")]))
    assert "Giới hạn số suất chỉ dùng khi có giá live." in response.content.decode()
    response = client.post(ADD_URL, session_data(host=host, rows=[row(rice, price="150000", limit="2",
                                                                      per_customer="5")]))
    assert "Số tối đa mỗi khách không được lớn hơn tổng số suất." in response.content.decode()
    assert not LiveSession.objects.exists()


def test_only_a_session_nobody_knows_of_yet_can_be_deleted(client, staff, rice, django_user_model):
    host = make_host(django_user_model)
    mistake = make_session(host=host, products=[(rice, Decimal("150000"))], start=START)
    aired = make_session(host=host, products=[rice], start=START + dt.timedelta(hours=3))
    take_live(aired)
    complained = make_session(host=host, products=[rice], start=START + dt.timedelta(hours=6))
    LiveComplaint.objects.create(session=complained, name="Bình", message="Sao lại đổi giờ?")
    client.force_login(staff)

    for session in (aired, complained):
        response = client.post(f"/cms-admin/livestream/sessions/delete/{session.pk}/", follow=True)
        assert LiveSession.objects.filter(pk=session.pk).exists()
        assert any("không xoá được" in m or "hãy huỷ phiên thay vì xoá" in m for m in messages_of(response))
    offer = FeaturedProduct.objects.get(session=mistake).offer
    response = client.post(f"/cms-admin/livestream/sessions/delete/{mistake.pk}/")
    assert response.status_code == 302 and not LiveSession.objects.filter(pk=mistake.pk).exists()
    offer.refresh_from_db()
    assert offer.status == ConditionalOffer.SUSPENDED


def test_a_certificate_lapsing_before_the_session_warns_after_saving(client, staff, django_user_model):
    host = make_host(django_user_model)
    tea = make_product(title="Trà mãng cầu")
    certify(tea, expires_on=ocop_today() + dt.timedelta(days=3))
    client.force_login(staff)
    start = timezone.now() + dt.timedelta(days=10)

    response = client.post(ADD_URL, session_data(host=host, start=start, rows=[row(tea)]), follow=True)

    assert LiveSession.objects.count() == 1
    assert any(m.startswith("Giấy chứng nhận của “Trà mãng cầu” hết hạn ngày") for m in messages_of(response))


def test_an_ended_session_changes_only_its_replay_and_notes(client, staff, rice, django_user_model):
    session = make_session(host=make_host(django_user_model), products=[(rice, Decimal("159000"))],
                           start=START + dt.timedelta(seconds=17, microseconds=250), title="Phiên đã phát")
    take_live(session)
    session_end(session=session, actor=None, now=START + dt.timedelta(minutes=50))
    client.force_login(staff)

    data = edit_form_data(client, session)
    data["title"] = "Đổi tên sau khi phát"
    response = client.post(edit_url(session), data)
    assert response.status_code == 200
    assert "Phiên đã kết thúc: chỉ sửa được đường dẫn xem lại và ghi chú (đã đổi: tiêu đề)." in \
        response.content.decode()

    data = edit_form_data(client, session)
    data["featured-0-live_price"] = "99000"
    response = client.post(edit_url(session), data)
    assert response.status_code == 200
    assert "Phiên đã kết thúc: không sửa được sản phẩm giới thiệu, ghim và giá live." in response.content.decode()

    data = edit_form_data(client, session)
    data["featured-0-DELETE"] = "1"
    assert client.post(edit_url(session), data).status_code == 200
    session.refresh_from_db()
    assert session.title == "Phiên đã phát"
    assert session.featured.get().live_price == Decimal("159000")

    data = edit_form_data(client, session)
    data["replay_url"] = "https://www.youtube.com/watch?v=replay1"
    data["notes"] = "Bản ghi đã tải lên."
    response = client.post(edit_url(session), data)
    assert response.status_code == 302, messages_of(client.get(edit_url(session)))
    session.refresh_from_db()
    assert session.replay_url == "https://www.youtube.com/watch?v=replay1" and session.notes == "Bản ghi đã tải lên."
    assert session.title == "Phiên đã phát" and session.status == LiveSession.Status.ENDED


# ---------------------------------------------------------------- permissions
def test_without_the_livestream_permissions_the_admin_refuses(client, django_user_model, rice):
    host = make_host(django_user_model)
    editor = django_user_model.objects.create_user(email="bientap@example.vn", password="pw-1234567")
    editor.is_staff = True
    editor.save(update_fields=["is_staff"])
    grant(editor, "access_admin")
    client.force_login(editor)

    for url in (LIST_URL, ADD_URL, "/cms-admin/livestream/identity-checks/new/",
                "/cms-admin/livestream/complaints/"):
        response = client.get(url)
        assert response.status_code in (302, 403), url
        if response.status_code == 302:
            assert response["Location"] == "/cms-admin/"
    client.post(ADD_URL, session_data(host=host, rows=[row(rice)]))
    assert not LiveSession.objects.exists()

    client.force_login(host)  # no admin access at all
    response = client.get(LIST_URL)
    assert response.status_code == 302 and response["Location"].startswith("/cms-admin/login/")
    client.logout()
    response = client.get(LIST_URL)
    assert response.status_code == 302 and response["Location"].startswith("/cms-admin/login/")


# ---------------------------------------------------------------- the product chooser
def chooser_html(response) -> str:
    assert response.status_code == 200
    return json.loads(response.content)["html"] if response["Content-Type"].startswith("application/json") \
        else response.content.decode()


def test_the_product_chooser_finds_unaccented_titles_and_never_lists_an_uncertified_product(client, staff, rice,
                                                                                           fish_sauce):
    honey = make_product(title="Gạo Nàng Nhen chưa chứng nhận")
    lapsed = make_product(title="Gạo Nàng Nhen hết hạn")
    certify(lapsed, issued_on=ocop_today() - dt.timedelta(days=1200), expires_on=ocop_today() - dt.timedelta(days=1))
    hidden = make_certified_product(title="Gạo Nàng Nhen ẩn", is_public=False)
    client.force_login(staff)

    html = chooser_html(client.get(CHOOSER_URL))
    assert "Gạo Nàng Nhen Bảy Núi 5kg" in html and "Mắm cá linh Châu Đốc" in html
    for title in (honey.title, lapsed.title, hidden.title):
        assert title not in html

    html = chooser_html(client.get(CHOOSER_URL + "results/", {"q": "gao nang nhen"}))
    assert "Gạo Nàng Nhen Bảy Núi 5kg" in html and "Mắm cá linh" not in html
    assert honey.title not in html and lapsed.title not in html and hidden.title not in html
    html = chooser_html(client.get(CHOOSER_URL + "results/", {"q": "Châu Đốc"}))
    assert "Mắm cá linh Châu Đốc" in html and "Gạo" not in html

    assert client.get(f"{CHOOSER_URL}chosen/{rice.pk}/").status_code == 200
    assert client.get(f"{CHOOSER_URL}chosen/{honey.pk}/").status_code == 404

    form = client.get(ADD_URL).content.decode()
    assert CHOOSER_URL in form, "the featured product row uses the chooser"
    assert honey.title not in form and "Gạo Nàng Nhen Bảy Núi 5kg" not in form, "never a select of every product"


# ---------------------------------------------------------------- the law's records and complaints
def test_identity_checks_and_quality_documents_record_who_saved_them(client, staff, rice, django_user_model):
    host = make_host(django_user_model, verified=False)
    client.force_login(staff)

    response = client.post("/cms-admin/livestream/identity-checks/new/", {
        "user": host.pk, "method": "vneid", "checked_on": "2026-11-20", "note": "Tài khoản định danh mức 2",
    })
    assert response.status_code == 302
    check = HostIdentityCheck.objects.get(user=host)
    assert check.checked_by == staff and check.method == "vneid" and check.checked_on == dt.date(2026, 11, 20)

    response = client.post("/cms-admin/livestream/quality-documents/new/", {
        "product": rice.pk, "kind": "test_report", "title": "Phiếu kiểm nghiệm số 12/2026", "issued_on": "2026-10-01",
        "file": SimpleUploadedFile("kiem-nghiem.pdf", b"%PDF-1.4 test", content_type="application/pdf"),
    })
    assert response.status_code == 302
    document = QualityDocument.objects.get(product=rice)
    assert document.uploaded_by == staff and document.title == "Phiếu kiểm nghiệm số 12/2026"


def test_staff_answer_a_complaint(client, staff, rice, django_user_model):
    session = make_session(host=make_host(django_user_model), products=[rice], start=START, title="Phiên khiếu nại")
    complaint = LiveComplaint.objects.create(session=session, name="Nguyễn Văn Bình", phone="0912345678",
                                             message="Sản phẩm giao không giống lúc livestream.")
    client.force_login(staff)

    assert "Nguyễn Văn Bình · Phiên khiếu nại" in \
        client.get(f"/cms-admin/livestream/complaints/edit/{complaint.pk}/").content.decode()
    listing = client.get("/cms-admin/livestream/complaints/").content.decode()
    assert "Nguyễn Văn Bình" in listing and "0912345678" in listing and "Phiên khiếu nại" in listing
    assert "Sản phẩm giao không giống lúc livestream." in listing
    assert client.get("/cms-admin/livestream/complaints/new/").status_code in (302, 403, 404), \
        "complaints come from the public form only"

    response = client.post(f"/cms-admin/livestream/complaints/edit/{complaint.pk}/",
                           {"answer": "Chúng tôi đã liên hệ chủ thể để đổi hàng cho anh."})
    assert response.status_code == 302
    complaint.refresh_from_db()
    assert complaint.status == LiveComplaint.Status.ANSWERED and complaint.answered_by == staff
    assert complaint.answered_at is not None and complaint.message.startswith("Sản phẩm giao")


def test_only_staff_who_schedule_may_search_users_in_the_host_chooser(client, django_user_model, staff):
    editor = django_user_model.objects.create_user(email="bientap@example.vn", password="pw-1234567")
    editor.is_staff = True
    editor.save(update_fields=["is_staff"])
    grant(editor, "access_admin")  # a page editor: no livestream permissions
    django_user_model.objects.create_user(email="secret.shopper@example.vn", password="pw-1234567")
    client.force_login(editor)
    response = client.get("/cms-admin/livestream/choose-user/?q=secret")
    assert response.status_code in (302, 403) and b"secret.shopper" not in response.content
    client.force_login(staff)
    assert b"secret.shopper" in client.get("/cms-admin/livestream/choose-user/results/?q=secret").content
