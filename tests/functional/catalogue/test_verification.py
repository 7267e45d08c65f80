import datetime as dt
import io

import pytest
import segno
from PIL import Image

from catalogue.certification import ocop_today
from tests.support.catalogue import certify, make_product

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    ("state", "shown"),
    [("certified", "Còn hiệu lực"), ("expired", "Đã hết hạn"), ("revoked", "Đã bị thu hồi")],
)
def test_verification_page_shows_status_product_producer_stars_and_dates(client, state, shown):
    product = make_product(title="Đường thốt nốt Tri Tôn")
    today = ocop_today()
    if state == "expired":
        certificate = certify(product, stars=3, issued_on=today - dt.timedelta(days=1200), expires_on=today - dt.timedelta(days=2))
    else:
        certificate = certify(product, stars=3, revoked=(state == "revoked"))
    response = client.get(f"/ocop/verify/{certificate.verification_code}/")
    assert response.status_code == 200
    html = response.content.decode()
    assert f'data-status="{state}"' in html and shown in html
    assert "Đường thốt nốt Tri Tôn" in html
    assert product.producer.name in html
    assert certificate.decision_number in html
    assert certificate.issued_on.strftime("%d/%m/%Y") in html
    assert certificate.expires_on.strftime("%d/%m/%Y") in html


def test_an_old_certificate_points_to_the_renewal(client):
    product = make_product()
    today = ocop_today()
    old = certify(product, issued_on=today - dt.timedelta(days=1200), expires_on=today - dt.timedelta(days=30))
    new = certify(product, issued_on=today - dt.timedelta(days=20))
    html = client.get(old.get_absolute_url()).content.decode()
    assert 'data-status="expired"' in html
    assert new.get_absolute_url() in html


def test_unknown_code_is_a_friendly_404(client):
    response = client.get("/ocop/verify/khong-ton-tai/")
    assert response.status_code == 404
    assert 'data-testid="not-found"' in response.content.decode()


def test_qr_codes_encode_the_absolute_unprefixed_verification_url(client, settings):
    certificate = certify(make_product())
    expected_url = f"https://ocop.example.vn/ocop/verify/{certificate.verification_code}/"
    assert certificate.public_url() == expected_url

    svg = client.get(f"/ocop/verify/{certificate.verification_code}/qr.svg")
    assert svg["Content-Type"] == "image/svg+xml"
    assert svg.content.lstrip().startswith(b"<?xml") and b"<svg" in svg.content

    png = client.get(f"/en/ocop/verify/{certificate.verification_code}/qr.png")
    assert png["Content-Type"] == "image/png"
    image = Image.open(io.BytesIO(png.content))
    # Same matrix as a QR made from the expected URL: the label's code leads to the page, in any language.
    expected = io.BytesIO()
    segno.make(expected_url, error="m").save(expected, kind="png", scale=8, border=2)
    assert png.content == expected.getvalue()
    assert image.size[0] == image.size[1] > 100


def test_qr_of_unknown_code_or_format_is_404(client):
    certificate = certify(make_product())
    assert client.get("/ocop/verify/nope/qr.svg").status_code == 404
    assert client.get(f"/ocop/verify/{certificate.verification_code}/qr.gif").status_code == 404
