"""Public uploaded media (product photos and their thumbnails, story images) served by the app itself when no web server
or object storage is in front of it (one machine: ``OCOP_SERVE_MEDIA``, on by default). Files are never generated
here: thumbnails and renditions are made once, when first needed, and later requests read the stored file.
Each answer says what it is (``nosniff``) and may be kept by browsers for a day.

Only raster photos are shown as what they are. Anything else in a public folder (an SVG, which can carry script, or
a file that is not a picture at all) must never run on our origin: it is sent with a policy that allows nothing and
sandboxes it (an opaque origin, no script), and a file that is not a picture is sent as a download."""

from django.conf import settings
from django.http import Http404
from django.views.static import serve

MAX_AGE = 60 * 60 * 24

# What shoppers see: product photos and their thumbnails and renditions, producers' photos, Wagtail's images.
# Everything else in the media folder (return photos, certificate scans, proposed changes, quality documents,
# Wagtail documents) stays out of reach here; the views that show it check who is asking.
PUBLIC_FOLDERS = ("images/", "thumbnails/", "cache/", "producers/", "original_images/", "bench/")

# Pictures a browser only ever draws (no script inside): shown inline under their own type.
RASTER_TYPES = frozenset({"image/jpeg", "image/png", "image/gif", "image/webp", "image/avif"})
SANDBOXED = "default-src 'none'; style-src 'unsafe-inline'; sandbox"


def media_serve(request, path):
    if not path.startswith(PUBLIC_FOLDERS):
        raise Http404
    response = serve(request, path, document_root=settings.MEDIA_ROOT)
    response["Cache-Control"] = f"public, max-age={MAX_AGE}"
    response["X-Content-Type-Options"] = "nosniff"
    content_type = response.get("Content-Type", "").split(";")[0].strip().lower()
    if response.status_code == 200 and content_type not in RASTER_TYPES:
        # Set before the CSP middleware sees the response: it keeps a policy that is already there.
        response["Content-Security-Policy"] = SANDBOXED
        if content_type != "image/svg+xml":
            response["Content-Type"] = "application/octet-stream"
            inline = response.get("Content-Disposition", "")  # 'inline; filename="…"': keep the name
            response["Content-Disposition"] = "attachment" + (inline[6:] if inline.startswith("inline") else "")
    return response
