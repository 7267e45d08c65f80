"""The session control page (/live/<slug>/control/, livestream/views/control.py): the law's checklist, then go live,
pin, end and cancel through livestream/services.py. Programme staff and the session's own host only; the same
POST twice does the same thing once; a refusal changes nothing."""

import datetime as dt
from decimal import Decimal

import pytest
from django.contrib.auth.models import Permission
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone
from oscar.core.loading import get_model

from catalogue.models import Certificate
from livestream.models import FeaturedProduct, HostIdentityCheck, LiveSession, QualityDocument
from tests.support.catalogue import make_certified_product, make_producer
from tests.support.livestream import make_host, make_session

pytestmark = pytest.mark.django_db

ConditionalOffer = get_model("offer", "ConditionalOffer")


def control_url(session):
    return f"/live/{session.slug}/control/"


@pytest.fixture
def staff(django_user_model):
    user = django_user_model.objects.create_user(email="canbo.dieukhien@example.vn", password="pw-1234567",
                                                 first_name="Lan")
    user.is_staff = True
    user.save(update_fields=["is_staff"])
    user.user_permissions.add(*Permission.objects.filter(content_type__app_label="livestream"))
    return user


@pytest.fixture
def rice():
    return make_certified_product(title="Gạo Nàng Nhen Bảy Núi 5kg", price=Decimal("200000"))


@pytest.fixture
def fish_sauce():
    return make_certified_product(title="Mắm cá linh Châu Đốc", price=Decimal("120000"))


def soon_session(host, products, **fields):
    """Starts in ten minutes: inside the early-start window, so going live is a matter of the law's checks."""
    return make_session(host=host, products=products, start=timezone.now() + dt.timedelta(minutes=10), **fields)


def post(client, session, action, **data):
    return client.post(control_url(session), {"action": action, **data}, follow=True)


def messages_of(response) -> list[str]:
    return [str(m) for m in response.context["messages"]]


def state(session):
    session.refresh_from_db()
    return session.status, session.actual_start, session.actual_end, session.notes


# ---------------------------------------------------------------- the law before going live
def test_going_live_is_refused_without_the_identity_check_then_allowed_once_recorded(client, staff, rice,
                                                                                     django_user_model):
    host = make_host(django_user_model, verified=False)
    session = soon_session(host, [(rice, Decimal("159000"))])
    client.force_login(staff)

    page = client.get(control_url(session))
    html = page.content.decode()
    assert page.status_code == 200
    assert 'data-testid="check-identity" data-ok="no"' in html and "Chưa đủ điều kiện để bắt đầu phát." in html
    before = state(session)
    response = post(client, session, "go_live")
    assert response.redirect_chain == [(control_url(session), 302)], "POST-redirect-GET"
    assert any("Chưa ghi nhận xác minh danh tính của người dẫn" in m for m in messages_of(response))
    assert state(session) == before and session.status == LiveSession.Status.SCHEDULED
    assert FeaturedProduct.objects.get(session=session).offer.status == ConditionalOffer.SUSPENDED

    HostIdentityCheck.objects.create(user=host, method="chip_id", checked_on=timezone.localdate(), checked_by=staff,
                                     note="Đọc chip CCCD tại văn phòng")
    html = client.get(control_url(session)).content.decode()
    assert 'data-testid="check-identity" data-ok="yes"' in html and "Đọc chip CCCD" in html
    assert "canbo.dieukhien@example.vn" in html or "Lan" in html, "by whom"
    assert "Đủ điều kiện để bắt đầu phát." in html

    response = post(client, session, "go_live")
    assert any("Đã bắt đầu phát" in m for m in messages_of(response))
    session.refresh_from_db()
    assert session.status == LiveSession.Status.LIVE and session.actual_start is not None
    assert FeaturedProduct.objects.get(session=session).offer.status == ConditionalOffer.OPEN


def test_the_checklist_shows_each_products_certificate_and_quality_documents(client, staff, rice, fish_sauce,
                                                                             django_user_model):
    session = soon_session(make_host(django_user_model), [rice, fish_sauce])
    certificate = Certificate.objects.get(product=rice)
    QualityDocument.objects.create(product=rice, kind="test_report", title="Phiếu kiểm nghiệm số 12/2026",
                                   file=SimpleUploadedFile("kiem-nghiem.pdf", b"%PDF-1.4 test"))
    Certificate.objects.filter(product=fish_sauce).update(revoked_on=timezone.localdate(),
                                                          revocation_reason="Không đạt")
    client.force_login(staff)

    html = client.get(control_url(session)).content.decode()

    assert certificate.decision_number in html and certificate.get_absolute_url() in html
    assert certificate.expires_on.strftime("%d/%m/%Y") in html
    assert "Phiếu kiểm nghiệm số 12/2026" in html
    assert html.count('data-testid="check-product" data-ok="yes"') == 1
    assert html.count('data-testid="check-product" data-ok="no"') == 1
    assert f'href="/live/{session.slug}/report/"' in html
    before = state(session)
    response = post(client, session, "go_live")
    assert any("“Mắm cá linh Châu Đốc” chưa có giấy chứng nhận OCOP còn hiệu lực" in m for m in messages_of(response))
    assert state(session) == before


# ---------------------------------------------------------------- running the session
def test_pin_switches_exactly_one_product(client, staff, rice, fish_sauce, django_user_model):
    session = soon_session(make_host(django_user_model), [rice, fish_sauce])
    first, second = session.featured.order_by("position")
    client.force_login(staff)

    post(client, session, "pin", featured=first.pk)
    assert list(session.featured.filter(is_pinned=True)) == [first]
    response = post(client, session, "pin", featured=second.pk)
    assert list(session.featured.filter(is_pinned=True)) == [second]
    assert "Đã ghim “Mắm cá linh Châu Đốc”." in messages_of(response)
    assert 'data-pinned="yes"' in response.content.decode()
    post(client, session, "pin", featured="")
    assert not session.featured.filter(is_pinned=True).exists()

    other = soon_session(make_host(django_user_model), [rice])
    response = post(client, session, "pin", featured=other.featured.get().pk)
    assert "Sản phẩm này không thuộc phiên live." in messages_of(response)
    assert not FeaturedProduct.objects.filter(is_pinned=True).exists()


def test_end_closes_the_session_and_its_live_prices(client, staff, rice, django_user_model):
    session = soon_session(make_host(django_user_model), [(rice, Decimal("159000"))])
    client.force_login(staff)
    post(client, session, "go_live")
    post(client, session, "pin", featured=session.featured.get().pk)

    response = post(client, session, "end")

    session.refresh_from_db()
    assert session.status == LiveSession.Status.ENDED and session.actual_end is not None
    assert session.replay_retained_until is not None
    assert any(m.startswith("Đã kết thúc") for m in messages_of(response))
    offer = session.featured.get().offer
    assert offer.end_datetime < session.actual_end, "the live price window closed at the actual end"
    html = response.content.decode()
    assert 'data-testid="go-live"' not in html and 'data-testid="end"' not in html
    response = post(client, session, "pin", featured="")
    assert any("không đổi sản phẩm ghim" in m for m in messages_of(response))
    assert session.featured.get().is_pinned, "nothing changed after the end"


def test_staff_cancel_with_a_reason(client, staff, rice, django_user_model):
    session = soon_session(make_host(django_user_model), [(rice, Decimal("159000"))])
    client.force_login(staff)

    response = post(client, session, "cancel", reason="  ")
    assert "Hãy ghi lý do huỷ phiên." in messages_of(response)
    assert state(session)[0] == LiveSession.Status.SCHEDULED

    response = post(client, session, "cancel", reason="Người dẫn ốm")
    session.refresh_from_db()
    assert session.status == LiveSession.Status.CANCELLED and "Người dẫn ốm" in session.notes
    assert any("Đã huỷ phiên" in m for m in messages_of(response))
    response = post(client, session, "go_live")
    assert any("Đã huỷ" in m for m in messages_of(response))
    assert state(session)[0] == LiveSession.Status.CANCELLED


# ---------------------------------------------------------------- who may
def test_the_host_runs_their_own_session_but_may_not_cancel_it(client, rice, django_user_model):
    host = make_host(django_user_model)
    session = soon_session(host, [rice])
    client.force_login(host)

    html = client.get(control_url(session)).content.decode()
    assert 'data-testid="go-live"' in html and 'data-testid="cancel"' not in html
    assert "/cms-admin/" not in html, "no admin links for a host"
    assert f'href="/live/{session.slug}/report/"' in html, "the host may read the session's report"
    response = post(client, session, "cancel", reason="Bận")
    assert "Chỉ cán bộ chương trình được huỷ phiên." in messages_of(response)
    assert state(session)[0] == LiveSession.Status.SCHEDULED

    post(client, session, "go_live")
    post(client, session, "pin", featured=session.featured.get().pk)
    post(client, session, "end")
    session.refresh_from_db()
    assert session.status == LiveSession.Status.ENDED and session.featured.get().is_pinned


def test_anyone_else_gets_a_404_and_changes_nothing(client, rice, django_user_model):
    session = soon_session(make_host(django_user_model), [rice])
    other_host = make_host(django_user_model)
    soon_session(other_host, [rice])
    shopper = django_user_model.objects.create_user(email="khach@example.vn", password="pw-1234567")
    producer_user = django_user_model.objects.create_user(email="htx@example.vn", password="pw-1234567")
    make_producer().users.add(producer_user)
    staff_without_permission = django_user_model.objects.create_user(email="bientap@example.vn", password="pw-1234567")
    staff_without_permission.is_staff = True
    staff_without_permission.save(update_fields=["is_staff"])

    for user in (other_host, shopper, producer_user, staff_without_permission):
        client.force_login(user)
        assert client.get(control_url(session)).status_code == 404, user
        assert client.post(control_url(session), {"action": "go_live"}).status_code == 404, user
        assert client.post(control_url(session), {"action": "cancel", "reason": "x"}).status_code == 404, user
    assert state(session)[0] == LiveSession.Status.SCHEDULED

    client.logout()
    response = client.get(control_url(session))
    assert response.status_code == 302 and "login" in response["Location"]
    assert f"next=/live/{session.slug}/control/" in response["Location"].replace("%2F", "/")
    assert client.post(control_url(session), {"action": "go_live"}).status_code == 302
    assert state(session)[0] == LiveSession.Status.SCHEDULED
    assert client.get("/live/no-such-session/control/").status_code == 302


def test_the_same_post_twice_does_the_same_thing_once(client, staff, rice, fish_sauce, django_user_model):
    session = soon_session(make_host(django_user_model), [(rice, Decimal("159000")), fish_sauce])
    client.force_login(staff)

    post(client, session, "go_live")
    first = state(session)
    offers = ConditionalOffer.objects.count()
    response = post(client, session, "go_live")
    assert state(session) == first and ConditionalOffer.objects.count() == offers
    assert not any(m.startswith("Phiên đang ở trạng thái") for m in messages_of(response))

    feature = session.featured.get(product=fish_sauce)
    post(client, session, "pin", featured=feature.pk)
    post(client, session, "pin", featured=feature.pk)
    assert list(session.featured.filter(is_pinned=True)) == [feature]

    post(client, session, "end")
    ended = state(session)
    response = post(client, session, "end")
    assert state(session) == ended and response.status_code == 200

    cancelled = soon_session(make_host(django_user_model), [rice])
    post(client, cancelled, "cancel", reason="Trùng lịch hội chợ")
    post(client, cancelled, "cancel", reason="Trùng lịch hội chợ")
    cancelled.refresh_from_db()
    assert cancelled.notes.count("Trùng lịch hội chợ") == 1 and cancelled.sequence == 1
