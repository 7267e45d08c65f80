"""Writes of the producer area. A producer edits content, price and online stock; what a certificate vouches
for (title, OCOP set, weight, volume, main image) waits for programme staff once the product is certified."""

import datetime as dt
from decimal import Decimal
from functools import partial

from django.db import transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _
from oscar.core.loading import get_model

from catalogue.models import Certificate, OcopProductSet, Product
from catalogue.search.indexing import product_changed, products_changed
from shop.caching.versions import storefront_changed
from catalogue.services import product_set_link
from reports.external import ExternalSaleRefused, external_sale_enter
from reports.models import Platform, Sale
from reports.services import platform_of
from shop.errors import ActionRefused
from shop.html import rich_text_clean, sanitize_html

from .models import ProductChange, ProductEdit, StockMovement

StockRecord = get_model("partner", "StockRecord")
ProductImage = get_model("catalogue", "ProductImage")

VOUCHED_FIELDS = ("title", "ocop_product_set", "weight_grams", "volume_ml")  # plus the main image
FREE_FIELDS = ("description", "shelf_life_days", "ingredients", "raw_material_origin")


class ListingRefused(ActionRefused):
    pass


def _value(product, field):
    value = getattr(product, f"{field}_id" if field == "ocop_product_set" else field)
    return value


def _plain(value):
    return value if value is None or isinstance(value, (str, int, bool)) else str(value)


def is_vouched(product) -> bool:
    """Once a product holds a certificate (current or not yet renewed), its vouched facts need approval."""
    return Certificate.objects.filter(product=product, revoked_on__isnull=True).exists()


def product_create(*, producer, user, data: dict, image=None) -> Product:
    """A new product is a draft: it is not for sale until programme staff record its certificate."""
    product_set = data["ocop_product_set"]
    with transaction.atomic():
        product = Product.objects.create(
            title=data["title"],
            description=sanitize_html(rich_text_clean(data.get("description", ""))),
            structure=Product.STANDALONE,
            product_class=product_set.group.product_class,
            ocop_product_set=product_set,
            producer=producer,
            weight_grams=data.get("weight_grams"),
            volume_ml=data.get("volume_ml"),
            shelf_life_days=data.get("shelf_life_days"),
            ingredients=data.get("ingredients", ""),
            raw_material_origin=data.get("raw_material_origin", ""),
            is_public=producer.approved_at is not None,  # a producer awaiting approval publishes nothing
        )
        product_set_link(product=product, product_set=product_set)
        record = StockRecord.objects.create(
            product=product,
            partner=producer,
            partner_sku=f"{producer.code}-{product.pk}",
            price_currency="VND",
            price=Decimal(data["price"]),
            num_in_stock=0,
            num_allocated=0,
        )
        if data.get("stock"):
            stock_move(stockrecord=record, delta=int(data["stock"]), reason=StockMovement.Reason.DELIVERY, user=user)
        if image is not None:
            ProductImage.objects.create(product=product, original=image, display_order=0)
        ProductEdit.objects.create(
            product=product, kind=ProductEdit.Kind.CREATED, user=user,
            changes={"title": [None, product.title], "price": [None, int(record.price)]},
        )
    return product


def product_update(*, product, user, data: dict, image=None) -> ProductChange | None:
    """Apply what the producer may change at once; put vouched changes of a certified product up for approval.
    Returns the pending change, if any."""
    vouched = is_vouched(product)
    data = {**data, "description": sanitize_html(rich_text_clean(data.get("description", "")))}
    immediate, proposed = {}, {}
    for field in FREE_FIELDS + VOUCHED_FIELDS:
        if field not in data:
            continue
        new = data[field].pk if field == "ocop_product_set" and data[field] is not None else data[field]
        old = _value(product, field)
        if new == old or (new in ("", None) and old in ("", None)):
            continue
        (proposed if vouched and field in VOUCHED_FIELDS else immediate)[field] = (old, new)
    with transaction.atomic():
        product = Product.objects.select_for_update().get(pk=product.pk)
        for field, (_old, new) in immediate.items():
            setattr(product, f"{field}_id" if field == "ocop_product_set" else field, new)
        if immediate:
            product.save()
            ProductEdit.objects.create(
                product=product, kind=ProductEdit.Kind.EDITED, user=user,
                changes={k: [_plain(o), _plain(n)] for k, (o, n) in immediate.items()},
            )
        if "price" in data:
            _price_set(product=product, price=Decimal(data["price"]), user=user)
        change = None
        if image is not None and not vouched:
            _main_image_replace(product, image)
            ProductEdit.objects.create(product=product, kind=ProductEdit.Kind.EDITED, user=user,
                                       changes={"image": [None, "mới"]})
        if proposed or (image is not None and vouched):
            change = ProductChange.objects.filter(product=product, status=ProductChange.Status.PENDING).first()
            change = change or ProductChange(product=product, created_by=user)
            change.proposed = {**change.proposed, **{k: n for k, (_o, n) in proposed.items()}}
            if image is not None:
                change.image = image
            change.save()
            ProductEdit.objects.create(
                product=product, kind=ProductEdit.Kind.PROPOSED, user=user,
                changes={**{k: [_plain(o), _plain(n)] for k, (o, n) in proposed.items()},
                         **({"image": [None, "mới"]} if image is not None else {})},
            )
    return change


def _price_set(*, product, price: Decimal, user) -> None:
    if price != price.to_integral_value() or price <= 0:
        raise ListingRefused(_("Giá phải là số đồng nguyên, lớn hơn 0."))
    record = StockRecord.objects.select_for_update().filter(product=product, partner_id=product.producer_id).first()
    if record is None:
        raise ListingRefused(_("Sản phẩm chưa có giá bán trực tuyến."))
    if record.price != price:
        StockRecord.objects.filter(pk=record.pk).update(price=price)  # never a whole-row save
        product_changed(record.product_id)
        ProductEdit.objects.create(product=product, kind=ProductEdit.Kind.EDITED, user=user,
                                   changes={"price": [int(record.price), int(price)]})


def _main_image_replace(product, image) -> None:
    ProductImage.objects.filter(product=product).update(display_order=F("display_order") + 1)
    storefront_changed()
    ProductImage.objects.create(product=product, original=image, display_order=0)


def product_change_decide(*, change: ProductChange, user, approve: bool, note: str = "",
                          version: str | None = None) -> ProductChange:
    """Programme staff approve (the new facts go on sale) or reject (the approved version stays). `version` is
    what the staff member saw: a change edited since then is refused, never approved unseen."""
    with transaction.atomic():
        change = ProductChange.objects.select_for_update().get(pk=change.pk)
        if change.status != ProductChange.Status.PENDING:
            return change
        if version is not None and version != change.version:
            raise ListingRefused(_("Chủ thể vừa sửa đề nghị này. Vui lòng xem lại trước khi duyệt."))
        product = Product.objects.select_for_update().get(pk=change.product_id)
        if approve:
            old = {}
            for field, new in change.proposed.items():
                attr = f"{field}_id" if field == "ocop_product_set" else field
                old[field] = [_plain(getattr(product, attr)), new]
                if field != "ocop_product_set":
                    setattr(product, attr, new)
            product.save()
            if "ocop_product_set" in change.proposed:
                product_set_link(product=product, product_set=OcopProductSet.objects.select_related("group").get(
                    pk=change.proposed["ocop_product_set"]))
            if change.image:
                _main_image_replace(product, change.image)
                old["image"] = [None, "mới"]
        ProductChange.objects.filter(pk=change.pk).update(
            status=ProductChange.Status.APPROVED if approve else ProductChange.Status.REJECTED,
            decided_by=user, decided_at=timezone.now(), note=note[:255],
        )
        ProductEdit.objects.create(
            product=product, kind=ProductEdit.Kind.APPROVED if approve else ProductEdit.Kind.REJECTED, user=user,
            changes=old if approve else {"note": [None, note]},
        )
        change.refresh_from_db()
    return change


def stock_move(*, stockrecord, delta: int, reason: str, user, note: str = "") -> StockMovement:
    """Add or remove units on hand under a row lock; allocations are never touched and never exceeded."""
    with transaction.atomic():
        record = StockRecord.objects.select_for_update().get(pk=stockrecord.pk)
        level = (record.num_in_stock or 0) + delta
        if level < 0:
            raise ListingRefused(_("Tồn kho không thể âm."))
        if level < (record.num_allocated or 0):
            raise ListingRefused(
                _("Đang có %(n)s sản phẩm trong các đơn chưa giao: tồn kho không thể thấp hơn.")
                % {"n": record.num_allocated}
            )
        StockRecord.objects.filter(pk=record.pk).update(num_in_stock=F("num_in_stock") + delta)
        product_changed(record.product_id)
        return StockMovement.objects.create(
            stockrecord=record, delta=delta, level_after=level, reason=reason, note=note[:255], user=user
        )


def stock_set(*, stockrecord, level: int, user, note: str = "") -> StockMovement | None:
    """A count: the level becomes `level`, written as the delta from what is there now (read under the lock)."""
    with transaction.atomic():
        current = StockRecord.objects.select_for_update().get(pk=stockrecord.pk).num_in_stock or 0
        if level == current:
            return None
        return stock_move(stockrecord=stockrecord, delta=level - current, reason=StockMovement.Reason.COUNT,
                          user=user, note=note)


def external_sale_record(*, producer, product, quantity: int, amount: Decimal, platform: str, sold_on: dt.date,
                         user, key: str = "", note: str = "") -> Sale:
    """A sale the producer made elsewhere (Shopee, TikTok Shop, Postmart, a supermarket…) enters the ledger, through
    reports.external.external_sale_enter. ``platform`` is a reports.models.Platform value or a name as typed
    ("Shopee", "siêu thị Co.opmart"), which is kept as the note when no note is given."""
    if not note and platform not in Platform.values:
        note = platform
    try:
        return external_sale_enter(producer=producer, product=product, platform=platform_of(platform),
                                   sold_on=sold_on, quantity=quantity, amount=amount, user=user, note=note, key=key)
    except ExternalSaleRefused as refused:
        raise ListingRefused(str(refused)) from refused


# ---------------------------------------------------------------- onboarding
PRODUCER_GROUP = "Producer"


def _producer_group():
    from django.contrib.auth.models import Group

    return Group.objects.get_or_create(name=PRODUCER_GROUP)[0]


def producer_user_invite(*, producer, email: str, full_name: str, invited_by, request=None):
    """Programme staff add a user to a producer; the user gets an email with a link to set a password.
    Inviting the same email twice adds nothing and sends the link again."""
    from django.contrib.auth import get_user_model
    from django.contrib.auth.tokens import default_token_generator
    from django.core.mail import send_mail
    from django.template.loader import render_to_string
    from django.urls import reverse
    from django.utils.encoding import force_bytes
    from django.utils.http import urlsafe_base64_encode

    User = get_user_model()
    email = email.strip().lower()
    existing = User.objects.filter(email__iexact=email).first()
    if existing is not None and existing.has_usable_password() and not producer.users.filter(pk=existing.pk).exists():
        # An account someone already uses joins only from its own mailbox: the link is signed for that account.
        if existing.is_staff:
            raise ListingRefused(_("Tài khoản cán bộ không thể là người dùng của chủ thể."))
        from django.conf import settings
        from django.core import signing

        token = signing.dumps({"producer": producer.pk, "user": existing.pk}, salt=JOIN_SALT)
        context = {"producer": producer, "user": existing,
                   "link": settings.OCOP_PUBLIC_BASE_URL.rstrip("/") + reverse("seller:join", args=[token])}
        transaction.on_commit(partial(
            send_mail,
            render_to_string("shop/emails/producer_invite_subject.txt", context).strip(),
            render_to_string("shop/emails/producer_join_body.txt", context),
            settings.DEFAULT_FROM_EMAIL,
            [existing.email],
        ))
        return existing
    with transaction.atomic():
        user = existing
        if user is None:
            first, _sep, last = full_name.strip().rpartition(" ")
            user = User.objects.create_user(email=email, password=None, first_name=last or first, last_name=first if last else "")
        if user.is_staff:
            raise ListingRefused(_("Tài khoản cán bộ không thể là người dùng của chủ thể."))
        producer.users.add(user)
        user.groups.add(_producer_group())
    link = reverse("password-reset-confirm", kwargs={
        "uidb64": urlsafe_base64_encode(force_bytes(user.pk)), "token": default_token_generator.make_token(user)})
    from django.conf import settings

    context = {"producer": producer, "user": user, "link": settings.OCOP_PUBLIC_BASE_URL.rstrip("/") + link}
    transaction.on_commit(partial(
        send_mail,
        render_to_string("shop/emails/producer_invite_subject.txt", context).strip(),
        render_to_string("shop/emails/producer_invite_body.txt", context),
        settings.DEFAULT_FROM_EMAIL,
        [user.email],
    ))
    return user


JOIN_SALT = "ocop.producer-join"
JOIN_MAX_AGE = 7 * 24 * 3600


def producer_join(*, token: str, user):
    """The invited account follows its signed link while signed in: only then does it join the producer."""
    from django.core import signing
    from oscar.core.loading import get_model

    try:
        data = signing.loads(token, salt=JOIN_SALT, max_age=JOIN_MAX_AGE)
    except signing.BadSignature:
        raise ListingRefused(_("Liên kết mời không hợp lệ hoặc đã hết hạn."))
    if data.get("user") != user.pk:
        raise ListingRefused(_("Liên kết mời này dành cho tài khoản khác."))
    producer = get_model("partner", "Partner").objects.get(pk=data["producer"])
    with transaction.atomic():
        producer.users.add(user)
        user.groups.add(_producer_group())
    return producer


def producer_register(*, name: str, kind: str, commune, representative: str, phone: str, email: str, password: str):
    """A producer registers itself: the profile stays hidden and unapproved until programme staff approve it."""
    from django.contrib.auth import get_user_model
    from oscar.core.loading import get_model

    from shop.text import vi_slugify

    Partner = get_model("partner", "Partner")
    with transaction.atomic():
        import secrets

        # "dk-" (đăng ký) and a random tail: a registration never takes a code the registry uses
        code = f"dk-{vi_slugify(name)[:80] or 'chu-the'}-{secrets.token_hex(3)}"
        producer = Partner.objects.create(
            code=code, name=name, kind=kind, area=commune, representative=representative, phone=phone, email=email,
            is_public=False, approved_at=None,
        )
        user = get_user_model().objects.create_user(email=email, password=password)
        producer.users.add(user)
        user.groups.add(_producer_group())
    return producer, user


def producer_approve(*, producer, user) -> None:
    from oscar.core.loading import get_model

    with transaction.atomic():
        approved = get_model("partner", "Partner").objects.filter(pk=producer.pk, approved_at__isnull=True).update(
            approved_at=timezone.now(), is_public=True
        )
        if approved:  # its drafts become visible (still not for sale until certified)
            Product.objects.filter(producer=producer).update(is_public=True)
            products_changed(Product.objects.filter(producer=producer).values_list("pk", flat=True))
            storefront_changed()


def producer_profile_update(*, producer, data: dict) -> None:
    from oscar.core.loading import get_model

    from .models import ProducerPhoto

    fields = {k: v for k, v in data.items() if k in ("street_address", "phone", "email", "website", "representative")}
    fields["story"] = sanitize_html(rich_text_clean(data.get("story", "")))
    with transaction.atomic():
        get_model("partner", "Partner").objects.filter(pk=producer.pk).update(**fields)
        storefront_changed()
        if data.get("photo"):
            ProducerPhoto.objects.create(producer=producer, image=data["photo"], caption=data.get("caption", ""))


def producer_photo_delete(*, producer, photo_id: int) -> bool:
    from .models import ProducerPhoto

    return ProducerPhoto.objects.filter(producer=producer, pk=photo_id).delete()[0] > 0
