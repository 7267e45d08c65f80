"""Uploaded media served by the app on one machine (shop/media.py): stored files only, with their own type."""

from pathlib import Path

import pytest

pytestmark = pytest.mark.django_db  # a 404 page reads the site settings


@pytest.fixture
def stored_photo(settings, tmp_path):
    settings.MEDIA_ROOT = str(tmp_path)
    folder = Path(tmp_path, "thumbnails")
    folder.mkdir()
    (folder / "mam.webp").write_bytes(b"RIFF\x00\x00\x00\x00WEBPVP8 ")
    return "/media/thumbnails/mam.webp"


def test_a_stored_thumbnail_is_served_with_its_type_and_kept_by_browsers_for_a_day(client, stored_photo):
    response = client.get(stored_photo)
    assert response.status_code == 200
    assert response["Content-Type"] == "image/webp"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Cache-Control"] == "public, max-age=86400"


def test_nothing_outside_the_media_folder_and_nothing_missing_is_served(client, stored_photo):
    assert client.get("/media/thumbnails/nothing.webp").status_code == 404
    for outside in ("/media/../config/settings/base.py", "/media/%2e%2e/manage.py", "/media/thumbnails/../../manage.py"):
        response = client.get(outside)
        assert response.status_code in (400, 404) and b"DJANGO_SECRET_KEY" not in response.content, outside


def test_private_uploads_are_not_served(client, stored_photo, settings):
    from pathlib import Path

    for folder in ("returns/2026/11", "certificates/2026", "changes/2026/11", "quality/2026", "documents"):
        Path(settings.MEDIA_ROOT, folder).mkdir(parents=True)
        Path(settings.MEDIA_ROOT, folder, "private.jpg").write_bytes(b"\xff\xd8\xff")
        assert client.get(f"/media/{folder}/private.jpg").status_code == 404, folder
