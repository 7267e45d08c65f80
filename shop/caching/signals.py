"""Which writes make cached storefront pages stale.

Saves and deletes of the models pages are built from bump the storefront token. Three kinds of rows change
often and mostly invisibly, so they do not bump it themselves: stock records (every order allocates), shelf rows
and shelf movements (every showroom sale). Their writes refresh the product's listing columns
(catalogue/listing.py), which bump the token only when what a shopper sees changed: the price, the stock band
("còn hàng", "chỉ còn 3", "hết hàng"), a showroom's shelf level. Live-price claims bump the live token only.
"""

from __future__ import annotations

from django.db.models.signals import m2m_changed, post_delete, post_save

from .versions import live_quota_changed, storefront_changed

# app labels whose rows pages are built from
STOREFRONT_APPS = frozenset(
    {"catalogue", "partner", "cms", "showrooms", "livestream", "offer", "reviews", "wagtailcore", "wagtailimages",
     "wagtailredirects", "shipping"}
)
# rows in those apps that pages do not show, or show through the listing columns
QUIET_MODELS = frozenset(
    {
        "partner.stockrecord", "partner.stockalert", "partner.partneraddress", "showrooms.shelfstock",
        "showrooms.stockmovement", "showrooms.showroommembership", "livestream.livepriceclaim",
        "livestream.livereminder", "livestream.liveorder", "livestream.livecomplaint",
        "livestream.hostidentitycheck", "wagtailcore.revision", "wagtailcore.pagelogentry",
        "wagtailcore.modellogentry", "wagtailcore.taskstate", "wagtailcore.workflowstate",
        "wagtailcore.pagesubscription", "wagtailcore.comment", "wagtailcore.commentreply",
        "wagtailcore.referenceindex", "wagtailimages.rendition",
    }
)
# rows of other apps that pages show
STOREFRONT_MODELS = frozenset({"listings.producerphoto"})


def _storefront_row_written(sender, instance=None, using=None, **kwargs):
    meta = sender._meta
    if meta.label_lower in STOREFRONT_MODELS or (
        meta.app_label in STOREFRONT_APPS and meta.label_lower not in QUIET_MODELS
    ):
        storefront_changed(using=using)


def _live_claim_written(sender, instance=None, using=None, **kwargs):
    live_quota_changed(using=using)


def _m2m_written(sender, action=None, using=None, **kwargs):
    if action and action.startswith("post_"):
        _storefront_row_written(sender, using=using)


def connect_signals() -> None:
    """Called once from ShopConfig.ready()."""
    from livestream.models import LivePriceClaim

    for signal in (post_save, post_delete):
        signal.connect(_storefront_row_written, dispatch_uid=f"storefront-cache-{signal is post_save}")
        signal.connect(_live_claim_written, sender=LivePriceClaim, dispatch_uid=f"live-cache-{signal is post_save}")
    m2m_changed.connect(_m2m_written, dispatch_uid="storefront-cache-m2m")
