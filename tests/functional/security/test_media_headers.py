"""Uploaded media served by the app (shop/media.py): a photo is shown as what it is, and nothing else in a public
folder (an SVG, a page, a script) can ever run on our origin: sandboxed, and sent as a download unless a picture."""

from pathlib import Path

import pytest

pytestmark = pytest.mark.django_db  # a 404 page reads the site settings


@pytest.fixture
def media(settings, tmp_path):
    settings.MEDIA_ROOT = str(tmp_path)
    folder = Path(tmp_path, "images")
    folder.mkdir()
    (folder / "mam.jpg").write_bytes(b"\xff\xd8\xff\xe0\x00\x10JFIF\x00")
    (folder / "logo.svg").write_bytes(b'<svg xmlns="http://www.w3.org/2000/svg"><script>alert(document.domain)</script></svg>')
    (folder / "trang.html").write_bytes(b"<script>fetch('/shop/accounts/')</script>")
    (folder / "anh.jpg.js").write_bytes(b"alert(1)")
    return folder


def csp(response) -> str:
    return response.get("Content-Security-Policy", "")


def test_a_photo_is_shown_inline_with_its_type_and_nosniff(client, media):
    response = client.get("/media/images/mam.jpg")
    assert response.status_code == 200
    assert response["Content-Type"] == "image/jpeg"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert not response.get("Content-Disposition", "").startswith("attachment")
    assert "sandbox" not in csp(response)


def test_an_svg_is_shown_but_sandboxed_so_its_script_never_runs_on_our_origin(client, media):
    response = client.get("/media/images/logo.svg")
    assert response.status_code == 200
    assert response["Content-Type"] == "image/svg+xml"
    assert response["X-Content-Type-Options"] == "nosniff"
    directives = [d.strip() for d in csp(response).split(";")]
    assert "default-src 'none'" in directives and "sandbox" in directives
    assert not any(d.startswith("script-src") for d in directives)


@pytest.mark.parametrize("name", ["trang.html", "anh.jpg.js"])
def test_anything_that_is_not_a_picture_is_a_sandboxed_download(client, media, name):
    response = client.get(f"/media/images/{name}")
    assert response.status_code == 200
    assert response["Content-Type"] == "application/octet-stream"
    assert response["Content-Disposition"] == f'attachment; filename="{name}"'
    assert response["X-Content-Type-Options"] == "nosniff"
    assert "sandbox" in csp(response) and "default-src 'none'" in csp(response)


def test_wagtail_documents_keep_wagtails_own_policy(client, settings):
    """Wagtail serves documents itself with `default-src 'none'` (WAGTAILDOCS_BLOCK_EMBEDDED_CONTENT): our middleware
    leaves a policy that is already there alone."""
    from django.core.files.base import ContentFile
    from wagtail.documents.models import Document

    document = Document.objects.create(title="Trang", file=ContentFile(b"<script>alert(1)</script>", name="trang.html"))
    response = client.get(document.url)
    assert response.status_code == 200
    assert csp(response).startswith("default-src 'none'")
    assert response["X-Content-Type-Options"] == "nosniff"
    assert "attachment" in response["Content-Disposition"]
