"""Producers host their own sessions when staff allow: the producer area's live pages through HTTP."""

import datetime as dt
from decimal import Decimal

import pytest
from django.utils import timezone
from oscar.core.loading import get_model

from livestream.models import FeaturedProduct, HostIdentityCheck, LiveSession
from livestream.services import session_end, session_go_live
from tests.support.catalogue import make_certified_product, make_producer, make_product
from tests.support.livestream import make_host, make_session, take_live

pytestmark = pytest.mark.django_db
ConditionalOffer = get_model("offer", "ConditionalOffer")
START = (timezone.localtime() + dt.timedelta(days=10)).replace(hour=20, minute=0, second=0, microsecond=0)


def local(moment):
    return timezone.localtime(moment).strftime("%Y-%m-%dT%H:%M")


@pytest.fixture
def people(django_user_model):
    mine, theirs = make_producer(name="HTX Của Tôi", may_host_livestreams=True), make_producer(name="HTX Khác")
    seller = django_user_model.objects.create_user(email="a@example.vn", password="pw-1234567", first_name="Hạnh")
    rival = django_user_model.objects.create_user(email="b@example.vn", password="pw-1234567")
    mine.users.add(seller)
    theirs.users.add(rival)
    rice = make_certified_product(title="Gạo Nàng Nhen 5kg", price=Decimal("200000"), producer=mine)
    fish = make_certified_product(title="Mắm cá linh của HTX khác", price=Decimal("90000"), producer=theirs)
    return {"mine": mine, "theirs": theirs, "seller": seller, "rival": rival, "rice": rice, "fish": fish}


def session_data(*rows, **overrides):
    """The form as a phone sends it: the session, then the featured rows (product, live price, limits)."""
    data = {
        "title": "Chợ phiên gạo Bảy Núi", "description": "Gạo mới vụ đông xuân.", "platform": "facebook",
        "stream_url": "https://www.facebook.com/htx/live", "scheduled_start": local(START),
        "scheduled_end": local(START + dt.timedelta(hours=1)), "notes": "",
        "featured-TOTAL_FORMS": str(max(len(rows), 1)), "featured-INITIAL_FORMS": "0",
        "featured-MIN_NUM_FORMS": "0", "featured-MAX_NUM_FORMS": "1000",
    }
    for i, row in enumerate(rows):
        product, price, total, each = (tuple(row) + (None, None, None))[:4]
        data |= {f"featured-{i}-product": product.pk, f"featured-{i}-live_price": price or "",
                 f"featured-{i}-quantity_limit": total or "", f"featured-{i}-per_customer_limit": each or ""}
    return data | overrides


def snapshot(session):
    session.refresh_from_db()
    features = list(FeaturedProduct.objects.filter(session=session).order_by("pk").values_list(
        "product_id", "live_price", "quantity_limit", "position"))
    return (session.title, session.scheduled_start, session.scheduled_end, session.status, session.replay_url,
            session.notes, session.host_id, features)


def test_without_the_flag_the_pages_say_staff_have_not_enabled_it(client, people):
    people["mine"].may_host_livestreams = False
    people["mine"].save()
    client.force_login(people["seller"])
    for url in ("/shop/seller/live/", "/shop/seller/live/new/"):
        response = client.get(url)
        assert response.status_code == 403
        assert "Ban điều phối chưa cho phép chủ thể của bạn tự tổ chức livestream" in response.content.decode()
    response = client.post("/shop/seller/live/new/", session_data((people["rice"], "159000")))
    assert response.status_code == 403 and not LiveSession.objects.exists()
    session = make_session(host=people["seller"], products=[people["rice"]], producer=people["mine"], start=START)
    before = snapshot(session)
    assert client.get(f"/shop/seller/live/{session.pk}/").status_code == 403
    response = client.post(f"/shop/seller/live/{session.pk}/", session_data((people["rice"],), title="X"))
    assert response.status_code == 403
    assert snapshot(session) == before


def test_a_producer_schedules_its_own_product_with_a_live_price(client, people):
    client.force_login(people["seller"])
    page = client.get("/shop/seller/live/new/").content.decode()
    assert "Gạo Nàng Nhen 5kg" in page and "Mắm cá linh của HTX khác" not in page  # only its own products
    response = client.post("/shop/seller/live/new/", session_data((people["rice"], "159.000", "50", "2")))
    assert response.status_code == 302, response.content.decode()[:3000]
    session = LiveSession.objects.get()
    assert response["Location"] == f"/shop/seller/live/{session.pk}/"
    assert (session.host, session.producer, session.created_by) == (people["seller"], people["mine"], people["seller"])
    assert session.status == LiveSession.Status.SCHEDULED and session.slug == "cho-phien-gao-bay-nui"
    assert session.scheduled_start == START
    feature = session.featured.get()
    assert (feature.product, feature.live_price, feature.quantity_limit, feature.per_customer_limit) == (
        people["rice"], Decimal(159000), 50, 2)
    offer = ConditionalOffer.objects.get(pk=feature.offer_id)
    assert offer.status == ConditionalOffer.SUSPENDED  # until the session goes live
    assert offer.benefit.value == Decimal(159000) and offer.benefit.max_affected_items == 2

    page = client.get(response["Location"]).content.decode()
    assert f'href="/live/{session.slug}/control/"' in page  # going live happens on the control page
    assert "Chợ phiên gạo Bảy Núi" in client.get("/shop/seller/live/").content.decode()

    # the host's identity is recorded by staff; at the time, the live price opens
    HostIdentityCheck.objects.create(user=people["seller"], method="vneid", checked_on=timezone.localdate(),
                                     checked_by=people["rival"])
    session_go_live(session=session, actor=people["seller"], now=START)
    offer.refresh_from_db()
    assert offer.status == ConditionalOffer.OPEN and offer.start_datetime == START


def test_a_scheduled_session_is_edited_and_its_offer_follows(client, people):
    client.force_login(people["seller"])
    client.post("/shop/seller/live/new/", session_data((people["rice"], "159000")))
    session = LiveSession.objects.get()
    tea = make_certified_product(title="Trà khổ qua", price=Decimal("100000"), producer=people["mine"])
    later = START + dt.timedelta(days=1)
    response = client.post(f"/shop/seller/live/{session.pk}/", session_data(
        (tea,), (people["rice"], "149000"), scheduled_start=local(later),
        scheduled_end=local(later + dt.timedelta(hours=2))))
    assert response.status_code == 302
    session.refresh_from_db()
    assert session.scheduled_start == later and session.sequence == 1  # calendars learn of the change
    rows = list(session.featured.order_by("position").values_list("product_id", "live_price", "position"))
    assert rows == [(tea.pk, None, 0), (people["rice"].pk, Decimal(149000), 1)]
    offer = ConditionalOffer.objects.get(pk=session.featured.get(product=people["rice"]).offer_id)
    assert offer.benefit.value == Decimal(149000) and offer.status == ConditionalOffer.SUSPENDED


@pytest.mark.parametrize("case", ["theirs", "uncertified", "price_not_lower", "none"])
def test_only_its_own_certified_products_at_a_lower_price(client, people, case):
    client.force_login(people["seller"])
    rows = {
        "theirs": [(people["fish"], "50000")],
        "uncertified": [(make_product(title="Mật ong chưa chứng nhận", producer=people["mine"]),)],
        "price_not_lower": [(people["rice"], "200000")],
        "none": [],
    }[case]
    response = client.post("/shop/seller/live/new/", session_data(*rows))
    assert response.status_code == 400
    assert not LiveSession.objects.exists() and not FeaturedProduct.objects.exists()
    formset = response.context["formset"]
    if case in ("theirs", "uncertified"):  # not among the choices at all
        assert formset.forms[0].errors["product"] and formset.forms[0]["product"].value() == str(rows[0][0].pk)
    elif case == "price_not_lower":
        assert "Giá live phải thấp hơn giá hiện tại của “Gạo Nàng Nhen 5kg”" in response.content.decode()
    else:
        assert "Chọn ít nhất một sản phẩm giới thiệu." in response.content.decode()


def test_an_overlapping_session_of_the_same_host_is_refused(client, people):
    existing = make_session(host=people["seller"], products=[people["rice"]], start=START + dt.timedelta(minutes=30),
                            title="Phiên tối thứ Bảy", producer=people["mine"])
    client.force_login(people["seller"])
    response = client.post("/shop/seller/live/new/", session_data((people["rice"], "159000")))
    assert response.status_code == 400
    assert "Người dẫn đã có phiên “Phiên tối thứ Bảy”" in response.content.decode()
    assert list(LiveSession.objects.all()) == [existing]
    backwards = session_data((people["rice"],), scheduled_end=local(START - dt.timedelta(hours=1)),
                             scheduled_start=local(START + dt.timedelta(days=3)))
    response = client.post("/shop/seller/live/new/", backwards)
    assert response.status_code == 400 and "Giờ kết thúc phải sau giờ bắt đầu" in response.content.decode()
    assert LiveSession.objects.count() == 1


def test_another_producers_session_is_a_404_and_nothing_changes(client, people):
    people["theirs"].may_host_livestreams = True
    people["theirs"].save()
    theirs = make_session(host=people["rival"], products=[(people["fish"], Decimal("70000"))], start=START,
                          producer=people["theirs"])
    staff_session = make_session(host=make_host(type(people["rival"])), products=[people["rice"]],
                                 start=START + dt.timedelta(days=2))  # the programme's own: no producer
    client.force_login(people["seller"])
    for session in (theirs, staff_session):
        before = snapshot(session)
        assert client.get(f"/shop/seller/live/{session.pk}/").status_code == 404
        response = client.post(f"/shop/seller/live/{session.pk}/",
                               session_data((people["rice"], "1000"), title="Đổi tên", replay_url="https://x.vn"))
        assert response.status_code == 404
        assert snapshot(session) == before
    assert "Mắm cá linh" not in client.get("/shop/seller/live/").content.decode()


def test_an_ended_session_changes_only_its_replay_and_notes_and_a_live_one_not_at_all(client, people):
    HostIdentityCheck.objects.create(user=people["seller"], method="vneid", checked_on=timezone.localdate(),
                                     checked_by=people["rival"])
    session = make_session(host=people["seller"], products=[(people["rice"], Decimal("159000"))], start=START,
                           producer=people["mine"])
    take_live(session)
    client.force_login(people["seller"])
    before = snapshot(session)
    response = client.post(f"/shop/seller/live/{session.pk}/", session_data((people["rice"], "1000"), title="Đổi"))
    assert response.status_code == 302 and snapshot(session) == before  # live: nothing changes here
    assert 'href="/live/%s/control/"' % session.slug in client.get(f"/shop/seller/live/{session.pk}/").content.decode()

    session_end(session=session, actor=None, now=START + dt.timedelta(minutes=50))
    page = client.get(f"/shop/seller/live/{session.pk}/").content.decode()
    assert 'name="replay_url"' in page and 'name="title"' not in page
    response = client.post(f"/shop/seller/live/{session.pk}/", session_data(
        (people["rice"], "1000"), title="Đổi tên sau khi phát", scheduled_start=local(START + dt.timedelta(days=5)),
        replay_url="https://www.facebook.com/htx/videos/1", notes="Bản ghi đã tải lên."))
    assert response.status_code == 302
    session.refresh_from_db()
    assert (session.replay_url, session.notes) == ("https://www.facebook.com/htx/videos/1", "Bản ghi đã tải lên.")
    assert session.title == before[0] and session.scheduled_start == before[1]
    assert session.featured.get().live_price == Decimal(159000)
