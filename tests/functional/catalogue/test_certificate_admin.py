"""OCOP certificates in the Wagtail admin (catalogue/wagtail_hooks.py, catalogue/admin_views.py): programme staff
record, renew and revoke certificates; producers (non-staff) never can; only superusers delete."""

import datetime as dt

import pytest
from django.contrib.auth.models import Permission
from django.urls import reverse

from catalogue.certification import default_expiry, ocop_today
from catalogue.models import Certificate, Product

pytestmark = pytest.mark.django_db

LIST_URL = "/cms-admin/ocop/certificates/"
EXPIRING_URL = "/cms-admin/ocop/expiring/"
EXPIRED_URL = "/cms-admin/ocop/expired/"
ADD_URL = "/cms-admin/ocop/certificates/new/"


def edit_url(certificate):
    return f"/cms-admin/ocop/certificates/edit/{certificate.pk}/"


def delete_url(certificate):
    return f"/cms-admin/ocop/certificates/delete/{certificate.pk}/"


def grant(user, *codenames):
    user.user_permissions.add(*Permission.objects.filter(codename__in=codenames))


def make_user(django_user_model, email, *, is_staff=False):
    user = django_user_model.objects.create_user(email=email, password="user-pass-12345")
    if is_staff:  # Oscar's create_user sets is_staff itself
        user.is_staff = True
        user.save(update_fields=["is_staff"])
    return user


def make_staff(django_user_model, email="staff@example.vn"):
    user = make_user(django_user_model, email, is_staff=True)
    grant(user, "access_admin", "add_certificate", "change_certificate")
    return user


def make_product(title="Mắm cá linh Châu Đốc"):
    return Product.objects.create(title=title, structure="standalone")


def make_certificate(product, decision_number, issued_on, stars=4, **fields):
    return Certificate.objects.create(
        product=product, decision_number=decision_number, issued_on=issued_on, stars=stars, **fields
    )


def form_data(product, **overrides):
    data = {
        "product": product.pk,
        "decision_number": "86/QĐ-UBND",
        "issued_on": ocop_today().isoformat(),
        "issuing_level": Certificate.Level.PROVINCE,
        "issuing_authority": "UBND tỉnh An Giang",
        "stars": "4",
        "score": "85",
        "expires_on": "",
    }
    data.update(overrides)
    return data


def edit_data(certificate, **overrides):
    data = {
        "product": certificate.product_id,
        "decision_number": certificate.decision_number,
        "issued_on": certificate.issued_on.isoformat(),
        "issuing_level": certificate.issuing_level,
        "issuing_authority": certificate.issuing_authority,
        "stars": str(certificate.stars),
        "score": "" if certificate.score is None else str(certificate.score),
        "expires_on": certificate.expires_on.isoformat(),
        "revoked_on": "",
        "revocation_reason": "",
    }
    data.update(overrides)
    return data


@pytest.fixture
def staff_client(client, django_user_model):
    client.force_login(make_staff(django_user_model))
    return client


@pytest.fixture
def certificates():
    """One valid for long, one expiring within 90 days, one expired, one expired but renewed, one revoked."""
    today = ocop_today()
    valid = make_certificate(make_product("Khô cá lóc"), "1/QĐ-UBND", today - dt.timedelta(days=10), stars=5)
    expiring = make_certificate(
        make_product("Đường thốt nốt"), "2/QĐ-UBND", today - dt.timedelta(days=400),
        expires_on=today + dt.timedelta(days=30),
    )
    expired = make_certificate(
        make_product("Gạo Nàng Nhen"), "3/QĐ-UBND", today - dt.timedelta(days=1200), stars=3,
        expires_on=today - dt.timedelta(days=5),
    )
    renewed_product = make_product("Trà khổ qua")
    make_certificate(
        renewed_product, "4/QĐ-UBND", today - dt.timedelta(days=1200), expires_on=today - dt.timedelta(days=40)
    )
    make_certificate(renewed_product, "5/QĐ-UBND", today - dt.timedelta(days=39))
    revoked = make_certificate(
        make_product("Tung lò mò"), "6/QĐ-UBND", today - dt.timedelta(days=100),
        revoked_on=today - dt.timedelta(days=1), revocation_reason="Vi phạm an toàn thực phẩm",
    )
    return {"valid": valid, "expiring": expiring, "expired": expired, "revoked": revoked}


# ---------------------------------------------------------------- listings
def test_urls_are_the_viewsets():
    assert reverse("ocop_certificate:index") == LIST_URL
    assert reverse("ocop_certificate:add") == ADD_URL
    assert reverse("ocop_certificate_expiring:index") == EXPIRING_URL
    assert reverse("ocop_certificate_expired:index") == EXPIRED_URL


def test_menu_group_lists_the_three_listings(staff_client):
    page = staff_client.get("/cms-admin/").content.decode()
    assert LIST_URL in page and EXPIRING_URL in page and EXPIRED_URL in page


def test_list_shows_every_certificate_with_its_status(staff_client, certificates):
    response = staff_client.get(LIST_URL)
    assert response.status_code == 200
    page = response.content.decode()
    for title in ["Khô cá lóc", "Đường thốt nốt", "Gạo Nàng Nhen", "Trà khổ qua", "Tung lò mò"]:
        assert title in page
    assert certificates["valid"].verification_code in page
    results = staff_client.get(f"{LIST_URL}results/").content.decode()  # the table alone, without the filter labels
    for label in ["Còn hiệu lực", "Còn hiệu lực · Sắp hết hạn", "Hết hạn", "Đã thu hồi"]:
        assert label in results
    assert f"{ADD_URL}?product={certificates['expired'].product_id}" in page  # the "Gia hạn" (renew) button


def test_expiring_list_holds_only_certificates_expiring_within_90_days(staff_client, certificates):
    response = staff_client.get(EXPIRING_URL)
    assert response.status_code == 200
    page = response.content.decode()
    assert "Đường thốt nốt" in page
    assert "Khô cá lóc" not in page and "Gạo Nàng Nhen" not in page and "Tung lò mò" not in page


def test_expired_list_leaves_out_renewed_and_revoked_certificates(staff_client, certificates):
    response = staff_client.get(EXPIRED_URL)
    assert response.status_code == 200
    page = response.content.decode()
    assert "Gạo Nàng Nhen" in page
    assert "Trà khổ qua" not in page  # expired, but the product holds a newer valid certificate
    assert "Tung lò mò" not in page and "Đường thốt nốt" not in page and "Khô cá lóc" not in page


@pytest.mark.parametrize(
    ("query", "shown", "hidden"),
    [
        ("status=valid", "Khô cá lóc", "Gạo Nàng Nhen"),
        ("status=expiring", "Đường thốt nốt", "Khô cá lóc"),
        ("status=expired", "Gạo Nàng Nhen", "Trà khổ qua"),
        ("status=revoked", "Tung lò mò", "Khô cá lóc"),
        ("stars=3", "Gạo Nàng Nhen", "Khô cá lóc"),
        ("issuing_level=national", None, "Khô cá lóc"),
        ("q=nàng nhen", "Gạo Nàng Nhen", "Khô cá lóc"),
        ("q=1/QĐ", "Khô cá lóc", "Gạo Nàng Nhen"),
    ],
)
def test_list_filters_and_search(staff_client, certificates, query, shown, hidden):
    response = staff_client.get(f"{LIST_URL}results/?{query}")
    assert response.status_code == 200
    page = response.content.decode()
    if shown:
        assert shown in page
    assert hidden not in page


# ---------------------------------------------------------------- recording and renewing
def test_create_form_renders(staff_client):
    make_product()
    response = staff_client.get(ADD_URL)
    assert response.status_code == 200
    assert 'name="decision_number"' in response.content.decode()


def test_create_records_the_certificate_with_its_recorder_and_default_expiry(staff_client):
    product = make_product()
    response = staff_client.post(ADD_URL, form_data(product))
    assert response.status_code == 302
    certificate = Certificate.objects.get(product=product, decision_number="86/QĐ-UBND")
    assert certificate.recorded_by.email == "staff@example.vn"
    assert certificate.expires_on == default_expiry(ocop_today())
    assert certificate.stars == 4 and certificate.score == 85
    assert certificate.verification_code


def test_create_with_two_stars_is_refused(staff_client):
    product = make_product()
    response = staff_client.post(ADD_URL, form_data(product, stars="2"))
    assert response.status_code == 200
    assert "Hạng sao OCOP phải từ 3 đến 5 sao." in response.content.decode()
    assert not Certificate.objects.exists()


@pytest.mark.parametrize(
    ("overrides", "field", "message"),
    [
        ({"is_potential_five_star": "on"}, "is_potential_five_star", "Chỉ sản phẩm đạt từ 90 điểm trở lên"),
        ({"expires_on": "2000-01-01"}, "expires_on", "Ngày hết hạn phải sau ngày quyết định"),
        ({"score": "40"}, "score", None),  # the model field's own validator
    ],
)
def test_model_validation_errors_show_next_to_the_field(staff_client, overrides, field, message):
    product = make_product()
    response = staff_client.post(ADD_URL, form_data(product, **overrides))
    assert response.status_code == 200
    errors = response.context["form"].errors
    assert field in errors
    if message:
        assert message in " ".join(errors[field])
        assert message in response.content.decode()
    assert not Certificate.objects.exists()


def test_same_decision_twice_for_a_product_is_refused(staff_client):
    product = make_product()
    make_certificate(product, "86/QĐ-UBND", ocop_today() - dt.timedelta(days=3))
    response = staff_client.post(ADD_URL, form_data(product))
    assert response.status_code == 200
    assert "Sản phẩm này đã có giấy chứng nhận theo số quyết định này." in response.content.decode()
    assert Certificate.objects.count() == 1


def test_renew_opens_the_create_form_for_the_same_product(staff_client, certificates):
    expired = certificates["expired"]
    response = staff_client.get(f"{ADD_URL}?product={expired.product_id}")
    assert response.status_code == 200
    page = response.content.decode()
    assert f'<option value="{expired.product_id}" selected>' in page
    assert "Gia hạn giấy chứng nhận: Gạo Nàng Nhen" in page

    response = staff_client.post(ADD_URL, form_data(expired.product, decision_number="99/QĐ-UBND"))
    assert response.status_code == 302
    assert expired.product.certificates.count() == 2  # a renewal is a new row; the old one stays as history
    assert expired.product.is_certified()


# ---------------------------------------------------------------- revoking
def test_revoking_without_a_reason_is_refused(staff_client, certificates):
    valid = certificates["valid"]
    response = staff_client.post(edit_url(valid), edit_data(valid, revoked_on=ocop_today().isoformat()))
    assert response.status_code == 200
    assert "Cần ghi lý do thu hồi khi nhập ngày thu hồi." in response.content.decode()
    valid.refresh_from_db()
    assert valid.revoked_on is None


def test_revoking_with_a_reason_is_final(staff_client, certificates):
    valid = certificates["valid"]
    today = ocop_today()
    response = staff_client.post(
        edit_url(valid), edit_data(valid, revoked_on=today.isoformat(), revocation_reason="Giả mạo hồ sơ")
    )
    assert response.status_code == 302
    valid.refresh_from_db()
    assert (valid.revoked_on, valid.revocation_reason) == (today, "Giả mạo hồ sơ")
    assert not valid.product.is_certified()

    staff_client.post(edit_url(valid), edit_data(valid, revoked_on="", revocation_reason=""))
    valid.refresh_from_db()
    assert (valid.revoked_on, valid.revocation_reason) == (today, "Giả mạo hồ sơ")


# ---------------------------------------------------------------- permissions
def test_anonymous_is_sent_to_the_admin_login(client):
    response = client.get(LIST_URL)
    assert response.status_code == 302
    assert response["Location"].startswith("/cms-admin/login/")


def test_producer_without_admin_access_is_sent_to_the_login(client, django_user_model):
    product = make_product()
    producer = make_user(django_user_model, "producer@example.vn")
    client.force_login(producer)
    for url in (LIST_URL, ADD_URL, EXPIRED_URL):
        response = client.get(url)
        assert response.status_code == 302
        assert response["Location"].startswith("/cms-admin/login/")
    response = client.post(ADD_URL, form_data(product))
    assert response.status_code == 302
    assert not Certificate.objects.exists()


def test_producer_is_refused_even_with_the_permissions(client, django_user_model, certificates):
    producer = make_user(django_user_model, "producer@example.vn")
    grant(producer, "access_admin", "add_certificate", "change_certificate", "delete_certificate")
    client.force_login(producer)
    valid = certificates["valid"]
    for url in (LIST_URL, ADD_URL, edit_url(valid)):
        response = client.get(url)
        assert response.status_code == 302
        assert response["Location"] == "/cms-admin/"  # Wagtail's permission-denied redirect
    client.post(ADD_URL, form_data(valid.product, decision_number="99/QĐ"))
    client.post(edit_url(valid), edit_data(valid, stars="3"))
    assert not Certificate.objects.filter(decision_number="99/QĐ").exists()
    valid.refresh_from_db()
    assert valid.stars == 5


def test_staff_without_the_model_permissions_is_refused(client, django_user_model):
    user = make_user(django_user_model, "editor@example.vn", is_staff=True)
    grant(user, "access_admin")
    client.force_login(user)
    response = client.get(ADD_URL)
    assert response.status_code == 302
    assert response["Location"] == "/cms-admin/"


def test_only_superusers_may_delete_a_certificate(client, django_user_model, certificates):
    staff = make_staff(django_user_model)
    grant(staff, "delete_certificate")
    client.force_login(staff)
    expired = certificates["expired"]
    assert delete_url(expired) not in client.get(LIST_URL).content.decode()
    response = client.post(delete_url(expired))
    assert response.status_code == 302 and response["Location"] == "/cms-admin/"
    assert Certificate.objects.filter(pk=expired.pk).exists()

    superuser = django_user_model.objects.create_superuser(email="root@example.vn", password="root-pass-12345")
    client.force_login(superuser)
    assert client.get(delete_url(expired)).status_code == 200
