"""The generated catalogue: producers, products (category, stock record, certificates, a shared picture for some)
and showrooms with their shelves. Each part draws from its own random stream of the seed, so a part generates the
same rows whatever else was generated before it."""

from __future__ import annotations

import base64
import datetime as dt
import hashlib
import random
import time
from collections.abc import Callable
from decimal import Decimal

from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.db import transaction
from oscar.core.loading import get_model

from catalogue.certification import default_expiry, ocop_today
from catalogue.demo import parcel_facts, product_image_bytes
from catalogue.images import image_thumbnail
from catalogue.models import AdministrativeUnit, Certificate, OcopProductSet, Product, ProductCategory, ProductImage
from catalogue.search.text import search_fields_fill
from shop.text import fold_vietnamese, vi_slugify
from showrooms.models import ShelfStock, Showroom, StockMovement

from . import words
from .bulk import BATCH, Table
from .marks import CODE_PREFIX, IMAGE_DIR, GenerationRefused, generated_products, product_marker

IMAGE_COUNT = 20
IMAGE_SHARE = 0.30  # products with a picture
AN_GIANG = "An Giang"
# the mainland and islands of An Giang (since July 2025), for showroom coordinates
LATITUDES, LONGITUDES = (9.95, 10.95), (104.40, 105.60)
Partner, StockRecord = get_model("partner", "Partner"), get_model("partner", "StockRecord")


def communes_an_giang() -> list:
    return list(AdministrativeUnit.objects.filter(level="commune", parent__name__contains=AN_GIANG)
                .select_related("parent").order_by("code"))


def communes_elsewhere() -> list:
    return list(AdministrativeUnit.objects.filter(level="commune").exclude(parent__name__contains=AN_GIANG)
                .select_related("parent").order_by("code"))


def producers_generate(*, count: int, seed: int, end: dt.datetime) -> list:
    """Approved, public producers: 80% in An Giang communes, the rest elsewhere in the country. Returns them
    (unsaved instances with their keys, as products need them)."""
    rng = random.Random(f"{seed}/producers")
    home, elsewhere = communes_an_giang(), communes_elsewhere()
    if not home or not elsewhere:
        raise GenerationRefused("no communes: run manage.py seed_reference_data first")
    kinds = [value for value, _label in Partner.Kind.choices]
    made, rows = [], []
    for i in range(count):
        name = " ".join((rng.choice(words.PRODUCER_KINDS), rng.choice(words.PRODUCER_NAMES), rng.choice(words.PLACES),
                         str(i + 1)))
        area = rng.choice(home) if rng.random() < 0.8 else rng.choice(elsewhere)
        made.append(Partner(name=name, code=f"{CODE_PREFIX}{i + 1:05d}", area_id=area.pk))
        rows.append((name, made[-1].code, fold_vietnamese(name)[:255], area.pk, rng.choice(kinds),
                     f"{rng.randint(1, 400)} {rng.choice(words.STREETS)}", f"09{rng.randrange(10**8):08d}",
                     end - dt.timedelta(days=rng.randint(30, 2000), seconds=rng.randrange(86400)), True))
    table = Table(Partner, ["name", "code", "name_folded", "area", "kind", "street_address", "phone", "approved_at",
                            "is_public"])
    for producer, key in zip(made, table.insert_returning(rows)):
        producer.pk = key
    return made


def products_generate(*, count: int, seed: int, producers: list, end: dt.datetime) -> dict:
    """Products spread over the producers, each with its category and stock record; most certified (some expired,
    renewed or revoked, a few never), about 30% with one of the shared pictures. Returns counts by kind of row."""
    rng = random.Random(f"{seed}/products")
    marker, today = product_marker(seed), ocop_today()
    sets = {(s.group.number, s.number): s for s in OcopProductSet.objects.filter(group__taxonomy__is_current=True)
            .select_related("group__product_class", "category")}
    images = images_ensure()
    weights = [kind[3] for kind in words.KINDS]
    tables = {
        "products": Table(Product, ["title", "slug", "upc", "structure", "product_class", "ocop_product_set",
                                    "producer", "is_public", "raw_material_origin", "is_age_restricted",
                                    "weight_grams", "title_folded", "title_lower", "search_folded", "date_created",
                                    "date_updated"]),
        "categories": Table(ProductCategory, ["product", "category"]),
        "stock records": Table(StockRecord, ["product", "partner", "partner_sku", "price_currency", "price",
                                             "num_in_stock", "num_allocated"]),
        "certificates": Table(Certificate, ["product", "decision_number", "issued_on", "expires_on", "stars",
                                            "revoked_on", "revocation_reason", "verification_code"]),
        "images": Table(ProductImage, ["product", "original", "thumbnail", "caption", "display_order"]),
    }
    counts = {"products": 0, "stock records": 0, "certificates": 0, "images": 0}
    for batch_start in range(0, count, BATCH):
        products, plans = [], []
        for i in range(batch_start, min(count, batch_start + BATCH)):
            kind, group, set_number, _weight, (low, high) = rng.choices(words.KINDS, weights)[0]
            title = " ".join(w for w in (kind, rng.choice(words.PLACES), rng.choice(words.QUALIFIERS),
                                         rng.choice(words.SIZES)) if w)
            product_set = sets[(group, set_number)]
            created = end - dt.timedelta(days=rng.randint(0, 3 * 365), seconds=rng.randrange(86400))
            product = Product(
                title=title, slug=vi_slugify(title)[:255], upc=f"{marker}{i + 1:06d}",
                structure=Product.STANDALONE, product_class=product_set.group.product_class,
                ocop_product_set=product_set, producer=producers[rng.randrange(len(producers))],
                is_public=rng.random() > 0.01,
                raw_material_origin=rng.choice(words.PLACES) if rng.random() < 0.3 else "",
                is_age_restricted=group == 2 and set_number in (1, 2), weight_grams=parcel_facts(title)[0],
                date_created=created, date_updated=created,
            )
            search_fields_fill(product)
            price = Decimal(rng.randrange(low, high + 1) * 1000)
            in_stock = 0 if rng.random() < 0.15 else rng.randint(1, 60)
            allocated = rng.randint(0, in_stock) if in_stock and rng.random() < 0.1 else 0
            certificates = certificates_for(ordinal=i + 1, marker=marker, rng=rng, today=today)
            picture = images_pick(images, kind=kind, group=group) if rng.random() < IMAGE_SHARE else None
            products.append(product)
            plans.append((price, in_stock, allocated, certificates, picture))
        keys = tables["products"].insert_returning(
            (p.title, p.slug, p.upc, p.structure, p.product_class_id, p.ocop_product_set_id, p.producer_id, p.is_public,
             p.raw_material_origin, p.is_age_restricted, p.weight_grams, p.title_folded, p.title_lower,
             p.search_folded, p.date_created, p.date_updated) for p in products)
        tables["categories"].insert((key, p.ocop_product_set.category_id) for key, p in zip(keys, products))
        stock, certified, pictures = [], [], []
        for key, product, (price, in_stock, allocated, certificates, picture) in zip(keys, products, plans):
            stock.append((key, product.producer_id, product.upc, "VND", price, in_stock, allocated))
            certified.extend((key, *certificate) for certificate in certificates)
            if picture:  # the files exist: no save(), no thumbnail made per row
                pictures.append((key, picture[0], picture[1], "", 0))
        counts["products"] += len(keys)
        counts["stock records"] += tables["stock records"].insert(stock)
        counts["certificates"] += tables["certificates"].insert(certified)
        counts["images"] += tables["images"].insert(pictures)
    return counts


def certificates_for(*, ordinal: int, marker: str, rng: random.Random, today: dt.date) -> list[tuple]:
    """Most products hold a valid certificate; some an expired one (some of those renewed), a few a revoked one,
    a few none at all. Each is (decision number, issued on, expires on, stars, revoked on, revocation reason,
    verification code); numbers and codes follow from the product's place in the catalogue, not from its key."""
    roll = rng.random()
    stars = rng.choices([3, 4, 5], [55, 38, 7])[0]

    def certificate(issued_on, n, revoked_on=None, reason=""):
        code = hashlib.blake2b(f"{marker}{ordinal}-{n}".encode(), digest_size=9).digest()
        return (f"{ordinal}-{n}/QĐ-UBND", issued_on, default_expiry(issued_on), stars, revoked_on, reason,
                base64.urlsafe_b64encode(code).decode())

    if roll < 0.02:
        return []
    if roll < 0.80:
        return [certificate(today - dt.timedelta(days=rng.randint(0, 1000)), 1)]
    if roll < 0.92:
        made = [certificate(today - dt.timedelta(days=rng.randint(1110, 1800)), 1)]  # expired
        if rng.random() < 0.4:
            made.append(certificate(today - dt.timedelta(days=rng.randint(0, 60)), 2))  # and renewed
        return made
    return [certificate(today - dt.timedelta(days=rng.randint(30, 700)), 1,
                        revoked_on=today - dt.timedelta(days=10), reason=words.CERTIFICATE_REVOKED_REASON)]


def images_ensure() -> list[tuple[str, str, str, int]]:
    """The shared pictures under ``bench/`` in the media storage, made once: (original, thumbnail, kind, group)
    for IMAGE_COUNT kinds of product (the most common kind of each OCOP group first, then by weight)."""
    by_weight = sorted(words.KINDS, key=lambda kind: -kind[3])
    chosen = list({kind[1]: kind for kind in reversed(by_weight)}.values())  # the heaviest of each group
    chosen += [kind for kind in by_weight if kind not in chosen]
    made = []
    for n, (kind, group, *_rest) in enumerate(chosen[:IMAGE_COUNT], start=1):
        original, thumbnail = f"{IMAGE_DIR}/product-{n:02d}.jpg", f"{IMAGE_DIR}/product-{n:02d}-600.webp"
        if not default_storage.exists(original):
            default_storage.save(original, ContentFile(product_image_bytes(title=kind, group_number=group)))
        if not default_storage.exists(thumbnail):
            with default_storage.open(original) as source:
                default_storage.save(thumbnail, ContentFile(image_thumbnail(source).read()))
        made.append((original, thumbnail, kind, group))
    return made


def images_pick(images: list, *, kind: str, group: int) -> tuple[str, str]:
    """The picture of this kind of product, else one of its group, else the first."""
    same = [image for image in images if image[2] == kind] or [image for image in images if image[3] == group]
    return (same or images)[0][:2]


def showrooms_generate(*, count: int, seed: int, end: dt.datetime) -> dict:
    """Showrooms in An Giang communes, with coordinates, each with a shelf of 2–6% of the generated products (and
    the delivery that put each product's units there). Returns counts by kind of row."""
    rng = random.Random(f"{seed}/showrooms")
    communes = communes_an_giang()
    centres = {c.pk: (rng.uniform(*LATITUDES), rng.uniform(*LONGITUDES)) for c in communes}
    rooms = []
    for i in range(count):
        commune = rng.choice(communes)
        latitude, longitude = centres[commune.pk]
        rooms.append((
            f"{CODE_PREFIX}{i + 1:04d}", f"{rng.choice(words.SHOWROOM_KINDS)} {commune.name} {i + 1}", commune.pk,
            f"{rng.randint(1, 300)} {rng.choice(words.STREETS)}",
            Decimal(f"{latitude + rng.uniform(-0.02, 0.02):.6f}"),
            Decimal(f"{longitude + rng.uniform(-0.02, 0.02):.6f}"),
            f"0296{rng.randrange(10**6):06d}", end - dt.timedelta(days=rng.randint(30, 1500)),
        ))
    keys = Table(Showroom, ["code", "name", "area", "street_address", "latitude", "longitude", "phone",
                            "created_at"]).insert_returning(rooms)
    product_ids = list(generated_products().order_by("upc").values_list("pk", flat=True))
    shelves = Table(ShelfStock, ["showroom", "product", "quantity", "reserved", "updated_at"])
    movements = Table(StockMovement, ["showroom", "product", "delta", "balance", "reason", "created_at"])
    counts = {"showrooms": len(keys), "shelf rows": 0, "shelf movements": 0}
    for room in keys:
        share = rng.uniform(0.02, 0.06)
        shelf, moves = [], []
        for index in sorted(rng.sample(range(len(product_ids)), round(share * len(product_ids)))):
            quantity = rng.randint(0, 20)
            delivered = end - dt.timedelta(days=rng.randint(1, 365), seconds=rng.randrange(86400))
            shelf.append((room, product_ids[index], quantity, 0, delivered))
            if quantity:
                moves.append((room, product_ids[index], quantity, quantity, StockMovement.Reason.DELIVERY.value,
                              delivered))
        counts["shelf rows"] += shelves.insert(shelf)
        counts["shelf movements"] += movements.insert(moves)
    return counts


def search_columns_refresh(*, log: Callable[[str], None] = print) -> None:
    """Refill the stored search columns of generated products when the way they are filled has changed since they
    were generated (what ``manage.py search_index --rebuild`` does for the database engine), checked on a sample."""
    columns = ["title_folded", "title_lower", "search_folded"]
    products = generated_products().select_related("producer", "ocop_product_set")
    sample = list(products.order_by("pk")[:50])
    stored = [tuple(getattr(p, c) for c in columns) for p in sample]
    for product in sample:
        search_fields_fill(product)
    if stored == [tuple(getattr(p, c) for c in columns) for p in sample]:
        return
    started = time.perf_counter()
    with transaction.atomic():
        last_pk = 0
        while batch := list(products.filter(pk__gt=last_pk).order_by("pk")[:BATCH]):
            for product in batch:
                search_fields_fill(product)
            Product.objects.bulk_update(batch, columns)
            last_pk = batch[-1].pk
    log(f"search columns refilled (their format changed) in {time.perf_counter() - started:.1f} s")
