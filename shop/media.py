"""Public uploaded media (product photos and their thumbnails, story images) served by the app itself when no web server
or object storage is in front of it (one machine: ``OCOP_SERVE_MEDIA``, on by default). Files are never generated
here: thumbnails and renditions are made once, when first needed, and later requests read the stored file.
Each answer says what it is (``nosniff``) and may be kept by browsers for a day."""

from django.conf import settings
from django.http import Http404
from django.views.static import serve

MAX_AGE = 60 * 60 * 24


# What shoppers see: product photos and their thumbnails and renditions, producers' photos, Wagtail's images.
# Everything else in the media folder (return photos, certificate scans, proposed changes, quality documents,
# Wagtail documents) stays out of reach here; the views that show it check who is asking.
PUBLIC_FOLDERS = ("images/", "thumbnails/", "cache/", "producers/", "original_images/", "bench/")


def media_serve(request, path):
    if not path.startswith(PUBLIC_FOLDERS):
        raise Http404
    response = serve(request, path, document_root=settings.MEDIA_ROOT)
    response["Cache-Control"] = f"public, max-age={MAX_AGE}"
    response["X-Content-Type-Options"] = "nosniff"
    return response
