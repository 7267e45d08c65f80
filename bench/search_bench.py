#!/usr/bin/env python
"""Search latency benchmark: the product search engine on a catalogue of N products (default 20,000).

Builds (or reuses) a deterministic catalogue in its own database, then times a few typical searches twice:
in-process through the engine API (``catalogue.search.get_engine()``) and as full requests through Django's test
Client (URL routing, middleware, template). Each query is reported as p50/p95/p99 in milliseconds and as a ratio
to the plain catalogue listing (browse, no text) timed in the same run, so figures from different machines can
be compared by their ratios. A plain script: never collected by pytest, never part of ``make test``.

    python bench/search_bench.py                                   # SQLite file under var/bench/
    python bench/search_bench.py --database-url postgres://postgres@127.0.0.1:5432/ocop_bench
    make bench-search BENCH_ARGS="--products 5000 --runs 50"
"""

from __future__ import annotations

import argparse
import datetime as dt
import importlib
import json
import math
import os
import platform
import random
import statistics
import sys
import time
from decimal import Decimal
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
BENCH_DIR = ROOT / "var" / "bench"
UPC_PREFIX = "BENCH-"
BATCH = 2000

# ------------------------------------------------------------------------------------------------ word lists
# (kind of product, OCOP group number, product-set number within the group, relative weight, price range in k₫)
KINDS = [
    ("Mắm cá linh", 1, 6, 30, (60, 250)),
    ("Mắm thái", 1, 6, 25, (70, 260)),
    ("Mắm cá lóc", 1, 6, 18, (80, 300)),
    ("Mắm tép", 1, 6, 10, (50, 180)),
    ("Nước mắm cá cơm", 1, 6, 14, (45, 200)),
    ("Khô cá lóc", 1, 4, 22, (180, 650)),
    ("Khô cá tra phồng", 1, 4, 16, (150, 450)),
    ("Khô cá sặc bổi", 1, 4, 14, (160, 480)),
    ("Tôm khô", 1, 4, 10, (250, 900)),
    ("Gạo Nàng Nhen", 1, 3, 20, (35, 120)),
    ("Gạo thơm Jasmine", 1, 3, 22, (25, 90)),
    ("Gạo nếp cái hoa vàng", 1, 3, 10, (30, 110)),
    ("Gạo lứt huyết rồng", 1, 3, 8, (40, 130)),
    ("Bánh phồng gạo", 1, 5, 8, (20, 60)),
    ("Đường thốt nốt", 1, 5, 24, (40, 160)),
    ("Đường thốt nốt cát", 1, 5, 10, (45, 150)),
    ("Nước thốt nốt", 2, 3, 10, (15, 45)),
    ("Bánh pía", 1, 5, 12, (60, 180)),
    ("Bánh bò thốt nốt", 1, 5, 8, (30, 90)),
    ("Bánh phồng tôm", 1, 5, 14, (50, 220)),
    ("Bánh tráng", 1, 5, 12, (20, 80)),
    ("Lạp xưởng", 1, 5, 12, (120, 320)),
    ("Chà bông cá lóc", 1, 5, 10, (90, 260)),
    ("Hủ tiếu", 1, 5, 10, (25, 70)),
    ("Bột sắn dây", 1, 5, 6, (60, 200)),
    ("Hạt điều rang muối", 1, 1, 10, (180, 450)),
    ("Xoài sấy dẻo", 1, 5, 12, (60, 180)),
    ("Chuối sấy", 1, 5, 8, (35, 110)),
    ("Mít sấy", 1, 5, 8, (50, 150)),
    ("Tỏi cô đơn", 1, 1, 6, (120, 400)),
    ("Nấm bào ngư", 1, 1, 6, (40, 140)),
    ("Dầu dừa", 1, 5, 6, (80, 240)),
    ("Mật ong hoa tràm", 1, 9, 10, (150, 450)),
    ("Cà phê rang xay", 1, 8, 10, (90, 350)),
    ("Trà khổ qua rừng", 3, 3, 10, (60, 200)),
    ("Trà mãng cầu", 1, 7, 6, (50, 160)),
    ("Rượu nếp", 2, 1, 10, (80, 300)),
    ("Rượu thốt nốt", 2, 1, 6, (90, 320)),
    ("Tinh dầu tràm", 3, 4, 8, (60, 220)),
    ("Cao atiso", 3, 1, 4, (120, 380)),
    ("Khăn rằn", 4, 3, 8, (40, 150)),
    ("Lụa Tân Châu", 4, 3, 6, (350, 1800)),
    ("Giỏ lục bình", 4, 2, 6, (80, 300)),
    ("Chiếu cói", 4, 2, 4, (150, 600)),
    ("Gốm Bửu Long", 4, 1, 3, (120, 900)),
    ("Cây mai vàng", 5, 2, 3, (300, 3000)),
    ("Lan hồ điệp", 5, 1, 3, (250, 1200)),
    ("Du lịch sinh thái rừng tràm", 6, 2, 3, (80, 350)),
    ("Nấm linh chi đỏ", 3, 1, 1, (400, 1500)),  # the rare one: "linh chi"
]
PLACES = [
    "Châu Đốc", "Tri Tôn", "Tịnh Biên", "Thoại Sơn", "Chợ Mới", "Phú Tân", "Tân Châu", "An Phú", "Long Xuyên",
    "Châu Phú", "Châu Thành", "Bảy Núi", "Núi Cấm", "Núi Sam", "Ba Chúc", "Óc Eo", "Mỹ Hòa Hưng", "Hà Tiên",
    "Phú Quốc", "Rạch Giá", "Hòn Đất", "Kiên Lương", "U Minh Thượng", "Cần Đước", "Cao Lãnh", "Sa Đéc",
    "Bến Tre", "Sóc Trăng", "Cà Mau", "Bạc Liêu", "Hòa Bình", "Thủy Nguyên",
]
QUALIFIERS = [
    "", "", "", "truyền thống", "đặc biệt", "loại 1", "cao cấp", "hữu cơ", "gia truyền", "nhà làm", "xuất khẩu",
    "Bảy Hương", "Bà Giáo", "Út Hiền", "Năm Sang", "Tư Thủy", "Ba Đời",
]
SIZES = ["hũ 200g", "hũ 500g", "hộp 300g", "hộp 1kg", "túi 250g", "túi 500g", "túi 5kg", "chai 500ml", "chai 1 lít",
         "can 2 lít", "bịch 1kg", "khay 400g", ""]
PRODUCER_KINDS = ["Hợp tác xã", "Cơ sở", "Hộ kinh doanh", "Công ty TNHH", "Tổ hợp tác", "Doanh nghiệp tư nhân"]
PRODUCER_NAMES = ["Bảy Hương", "Bà Giáo Khoẻ", "Út Hiền", "Năm Sang", "Tư Thủy", "Ba Đời", "Thanh Hương", "Phước Lộc",
                  "Hoà Hảo", "Tân Phú", "Minh Châu", "Kim Ngân", "Hồng Phát", "Thiên Ân", "Đức Thành", "Vĩnh Phát"]
SHOWROOMS = [("Điểm OCOP Châu Đốc", "bench-chau-doc", "Châu Đốc"), ("Điểm OCOP Long Xuyên", "bench-long-xuyen", "Long Xuyên"),
             ("Điểm OCOP Tri Tôn", "bench-tri-ton", "Tri Tôn")]

# (name, kind, argument): what each row of the table measures
CASES = [
    ("listing (reference)", "search", ""),
    ("common word: gao", "search", "gao"),
    ("bare accents: mam ca linh chau doc", "search", "mam ca linh chau doc"),
    ("accented: mắm", "search", "mắm"),
    ("rare two words: linh chi", "search", "linh chi"),
    ("suggestions: duo", "suggest", "duo"),
]


# ------------------------------------------------------------------------------------------------ setup
def parse_args(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--products", type=int, default=20_000, help="catalogue size (default 20,000)")
    parser.add_argument("--database-url", default="", help="DATABASE_URL-style URL (default: a SQLite file under var/bench/)")
    parser.add_argument("--engine", default="database", help="OCOP_SEARCH_ENGINE (default: database)")
    parser.add_argument("--runs", type=int, default=30, help="timed runs per query and path (default 30)")
    parser.add_argument("--warmup", type=int, default=3, help="untimed runs first (default 3)")
    parser.add_argument("--seed", type=int, default=20250701, help="random seed for the catalogue (default 20250701)")
    parser.add_argument("--rebuild", action="store_true", help="regenerate the catalogue even if it is there")
    parser.add_argument("--no-client", action="store_true", help="time the engine API only, not full requests")
    return parser.parse_args(argv)


def configure_django(args) -> str:
    url = args.database_url or f"sqlite:///{BENCH_DIR / f'search-{args.products}.sqlite3'}"
    BENCH_DIR.mkdir(parents=True, exist_ok=True)
    if url.startswith(("postgres://", "postgresql://")):
        postgres_database_ensure(url)
    os.environ["DATABASE_URL"] = url
    os.environ["DJANGO_SETTINGS_MODULE"] = "config.settings.dev"
    os.environ["DJANGO_DEBUG"] = "false"  # no query log, production-like templates
    os.environ["DJANGO_ALLOWED_HOSTS"] = "testserver,127.0.0.1,localhost"
    os.environ["OCOP_SEARCH_ENGINE"] = args.engine
    os.environ.setdefault("DJANGO_SECRET_KEY", "bench-only-not-secret")
    sys.path.insert(0, str(ROOT))
    import django

    django.setup()
    return url


def postgres_database_ensure(url: str) -> None:
    """Create the bench database if it is not there (connecting to the server's `postgres` database)."""
    from urllib.parse import urlsplit

    import psycopg

    parts = urlsplit(url)
    name = parts.path.lstrip("/")
    admin = parts._replace(scheme="postgresql", path="/postgres").geturl()
    with psycopg.connect(admin, autocommit=True) as conn:
        if not conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name]).fetchone():
            conn.execute(f'CREATE DATABASE "{name}"')
            print(f"created database {name}")


def database_prepare() -> None:
    from django.core.management import call_command

    started = time.perf_counter()
    call_command("migrate", interactive=False, verbosity=0)
    call_command("seed_reference_data", verbosity=0)
    print(f"migrations and reference data: {time.perf_counter() - started:.1f} s")


# ------------------------------------------------------------------------------------------------ the catalogue
def catalogue_ready(n: int, seed: int, rebuild: bool) -> dict:
    from catalogue.models import Product

    marker = f"{UPC_PREFIX}{seed}-"
    existing = Product.objects.filter(upc__startswith=UPC_PREFIX).count()
    matching = Product.objects.filter(upc__startswith=marker).count()
    if existing == matching == n and not rebuild:
        print(f"reusing the catalogue of {n:,} products (seed {seed})")
        search_columns_refresh()
        return {"generated": False, "seconds": 0.0}
    if existing:
        catalogue_remove()
    started = time.perf_counter()
    catalogue_generate(n, seed)
    seconds = time.perf_counter() - started
    print(f"generated {n:,} products in {seconds:.1f} s")
    return {"generated": True, "seconds": round(seconds, 2)}


def search_columns_refresh() -> None:
    """Refill the stored search columns when the way they are filled has changed since the catalogue was made
    (what ``manage.py search_index --rebuild`` does for the database engine), checked on a sample first."""
    from django.db import connection, transaction

    from catalogue.models import Product
    from catalogue.search.text import search_fields_fill

    columns = ["title_folded", "title_lower", "search_folded"]
    products = Product.objects.filter(upc__startswith=UPC_PREFIX).select_related("producer", "ocop_product_set")
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
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")
    print(f"search columns refilled (their format changed) in {time.perf_counter() - started:.1f} s")


def catalogue_remove() -> None:
    """Delete a previous bench catalogue (rows marked by their UPC or code), children first, without signals."""
    from django.db import connection
    from oscar.core.loading import get_model

    from catalogue.models import Certificate, Product, ProductCategory
    from showrooms.models import ShelfStock, Showroom

    Partner, StockRecord = get_model("partner", "Partner"), get_model("partner", "StockRecord")
    products = Product.objects.filter(upc__startswith=UPC_PREFIX)
    for model in (Certificate, ProductCategory, StockRecord, ShelfStock):
        model.objects.filter(product__in=products)._raw_delete(connection.alias)
    products._raw_delete(connection.alias)
    Showroom.objects.filter(code__startswith="bench-").delete()
    Partner.objects.filter(code__startswith="bench-")._raw_delete(connection.alias)
    print("removed the previous bench catalogue")


def catalogue_generate(n: int, seed: int) -> None:
    from django.db import connection, transaction
    from django.utils import timezone
    from oscar.core.loading import get_model

    from catalogue.certification import default_expiry, ocop_today
    from catalogue.models import AdministrativeUnit, Certificate, OcopProductSet, Product, ProductCategory
    from catalogue.search.text import search_fields_fill
    from shop.text import fold_vietnamese, vi_slugify
    from showrooms.models import ShelfStock, Showroom

    Partner, StockRecord = get_model("partner", "Partner"), get_model("partner", "StockRecord")
    rng = random.Random(seed)
    today = ocop_today()
    now = timezone.now()

    sets = {(s.group.number, s.number): s for s in OcopProductSet.objects.filter(group__taxonomy__is_current=True)
            .select_related("group__product_class", "category")}
    communes = list(AdministrativeUnit.objects.filter(level="commune", parent__name__contains="An Giang").order_by("code"))
    elsewhere = list(AdministrativeUnit.objects.filter(level="commune").exclude(parent__name__contains="An Giang")
                     .order_by("code")[:2000])

    with transaction.atomic():
        # producers: one for every ten products, most in An Giang
        producers = []
        for i in range(max(1, n // 10)):
            name = f"{rng.choice(PRODUCER_KINDS)} {rng.choice(PRODUCER_NAMES)} {rng.choice(PLACES)} {i + 1}"
            producers.append(Partner(
                name=name, code=f"bench-{i + 1}", name_folded=fold_vietnamese(name)[:255],
                area=rng.choice(communes) if rng.random() < 0.8 else rng.choice(elsewhere),
                kind=rng.choice([k for k, _label in Partner.Kind.choices]), approved_at=now, is_public=True,
            ))
        Partner.objects.bulk_create(producers, batch_size=BATCH)
        producers = list(Partner.objects.filter(code__startswith="bench-").order_by("pk"))

        kinds, weights = KINDS, [k[3] for k in KINDS]
        for start in range(0, n, BATCH):
            rows = []
            for i in range(start, min(n, start + BATCH)):
                kind, group, set_number, _weight, (low, high) = rng.choices(kinds, weights)[0]
                words = [kind, rng.choice(PLACES), rng.choice(QUALIFIERS), rng.choice(SIZES)]
                title = " ".join(w for w in words if w)
                product_set = sets[(group, set_number)]
                product = Product(
                    title=title, slug=vi_slugify(title)[:255], upc=f"{UPC_PREFIX}{seed}-{i + 1:06d}",
                    structure=Product.STANDALONE, product_class=product_set.group.product_class,
                    ocop_product_set=product_set, producer=rng.choice(producers), is_public=rng.random() > 0.01,
                    raw_material_origin=rng.choice(PLACES) if rng.random() < 0.3 else "",
                    is_age_restricted=group == 2 and set_number in (1, 2),
                )
                search_fields_fill(product)
                product._bench_price = Decimal(rng.randrange(low, high + 1) * 1000)
                rows.append(product)
            Product.objects.bulk_create(rows, batch_size=BATCH)
            if not connection.features.can_return_rows_from_bulk_insert:  # an old SQLite: look the keys up
                by_upc = dict(Product.objects.filter(upc__in=[p.upc for p in rows]).values_list("upc", "pk"))
                for product in rows:
                    product.pk = product.id = by_upc[product.upc]
            ProductCategory.objects.bulk_create(
                [ProductCategory(product_id=p.pk, category_id=p.ocop_product_set.category_id) for p in rows],
                batch_size=BATCH)
            stock = []
            for product in rows:
                in_stock = 0 if rng.random() < 0.15 else rng.randint(1, 60)
                stock.append(StockRecord(
                    product_id=product.pk, partner_id=product.producer_id, partner_sku=product.upc, price_currency="VND",
                    price=product._bench_price, num_in_stock=in_stock,
                    num_allocated=rng.randint(0, in_stock) if in_stock and rng.random() < 0.1 else 0,
                ))
            StockRecord.objects.bulk_create(stock, batch_size=BATCH)
            Certificate.objects.bulk_create(
                [c for product in rows for c in certificates_for(product, rng, today, default_expiry)], batch_size=BATCH)

        showrooms = []
        for name, code, place in SHOWROOMS:
            area = next((c for c in communes if place in c.name), communes[0])
            showrooms.append(Showroom.objects.create(name=name, code=code, area=area, street_address=f"1 {place}"))
        shelf = []
        for product_id in Product.objects.filter(upc__startswith=UPC_PREFIX).values_list("pk", flat=True):
            for showroom in showrooms:
                if rng.random() < 0.06:
                    quantity = rng.randint(0, 20)
                    shelf.append(ShelfStock(showroom=showroom, product_id=product_id, quantity=quantity,
                                            reserved=rng.randint(0, quantity) if rng.random() < 0.1 else 0))
        ShelfStock.objects.bulk_create(shelf, batch_size=BATCH)

    with connection.cursor() as cursor:  # fresh statistics, as autovacuum/ANALYZE would have by now
        cursor.execute("ANALYZE")


def certificates_for(product, rng, today, default_expiry):
    """Most products hold a valid certificate; some an expired one (some of those renewed), a few a revoked one,
    a few none at all."""
    from catalogue.models import Certificate

    roll = rng.random()
    stars = rng.choices([3, 4, 5], [55, 38, 7])[0]
    made = []

    def certificate(issued_on, n, **extra):
        return Certificate(product_id=product.pk, decision_number=f"{product.pk}-{n}/QĐ-UBND", issued_on=issued_on,
                           expires_on=default_expiry(issued_on), stars=stars, **extra)

    if roll < 0.02:
        return made
    if roll < 0.80:
        made.append(certificate(today - dt.timedelta(days=rng.randint(0, 1000)), 1))
    elif roll < 0.92:
        made.append(certificate(today - dt.timedelta(days=rng.randint(1110, 1800)), 1))  # expired
        if rng.random() < 0.4:
            made.append(certificate(today - dt.timedelta(days=rng.randint(0, 60)), 2))  # and renewed
    else:
        made.append(certificate(today - dt.timedelta(days=rng.randint(30, 700)), 1,
                                revoked_on=today - dt.timedelta(days=10), revocation_reason="Không đạt khi kiểm tra"))
    return made


# ------------------------------------------------------------------------------------------------ timing
def percentile(sorted_values, p):
    """Nearest-rank percentile of an already sorted list."""
    return sorted_values[max(0, math.ceil(p / 100 * len(sorted_values)) - 1)]


def timed(call, runs: int, warmup: int) -> list[float]:
    for _ in range(warmup):
        call()
    samples = []
    for _ in range(runs):
        started = time.perf_counter()
        call()
        samples.append((time.perf_counter() - started) * 1000)
    return sorted(samples)


def summary(samples):
    return {
        "p50_ms": round(percentile(samples, 50), 2),
        "p95_ms": round(percentile(samples, 95), 2),
        "p99_ms": round(percentile(samples, 99), 2),
        "mean_ms": round(statistics.fmean(samples), 2),
        "min_ms": round(samples[0], 2),
        "max_ms": round(samples[-1], 2),
    }


def measure(args) -> list[dict]:
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext
    from django.urls import reverse

    from catalogue.search import SearchQuery, get_engine

    engine = get_engine()
    client = Client(HTTP_ACCEPT_LANGUAGE="vi")
    urls = {"search": reverse("search:search"), "browse": reverse("catalogue:index")}
    try:
        urls["suggest"] = reverse("search:suggest")
    except Exception:  # the suggestions view is not there (yet)
        urls["suggest"] = None

    def api_call(kind, text):
        if kind == "suggest":
            return lambda: engine.suggest(text, limit=5)
        return lambda: engine.search(SearchQuery(text=text))

    def http_call(kind, text):
        if kind == "suggest":
            url, data = urls["suggest"], {"q": text}
        elif text:
            url, data = urls["search"], {"q": text}
        else:
            url, data = urls["browse"], {}
        if url is None:
            return None

        def call():
            response = client.get(url, data)
            if response.status_code != 200:
                raise RuntimeError(f"GET {url} {data} answered {response.status_code}")
            return response

        return call

    rows = []
    for name, kind, text in CASES:
        row = {"case": name, "kind": kind, "text": text}
        answer = api_call(kind, text)()
        if kind == "suggest":
            row["hits"] = len(answer.products) + len(answer.producers) + len(answer.pages)
        else:
            row["hits"] = answer.total
        with CaptureQueriesContext(connection) as queries:
            api_call(kind, text)()
        row["sql_queries_api"] = len(queries)
        row["api"] = summary(timed(api_call(kind, text), args.runs, args.warmup))
        call = None if args.no_client else http_call(kind, text)
        if call is not None:
            with CaptureQueriesContext(connection) as queries:
                call()
            row["sql_queries_http"] = len(queries)
            row["http"] = summary(timed(call, args.runs, args.warmup))
        rows.append(row)
        print(f"  {name}: {row['hits']} hits, api p50 {row['api']['p50_ms']} ms"
              + (f", http p50 {row['http']['p50_ms']} ms" if "http" in row else ""), flush=True)
    reference = rows[0]
    for row in rows:
        for path in ("api", "http"):
            if path in row and path in reference:
                row[path]["ratio_p50_to_listing"] = round(row[path]["p50_ms"] / reference[path]["p50_ms"], 2)
                row[path]["ratio_p95_to_listing"] = round(row[path]["p95_ms"] / reference[path]["p95_ms"], 2)
    return rows


# ------------------------------------------------------------------------------------------------ report
def machine() -> dict:
    cpu = ""
    try:
        cpu = next(line.split(":", 1)[1].strip() for line in Path("/proc/cpuinfo").read_text().splitlines()
                   if line.startswith("model name"))
    except (OSError, StopIteration):
        cpu = platform.processor()
    return {"nproc": os.cpu_count(), "cpu": cpu, "python": platform.python_version(), "platform": platform.platform()}


def database_description() -> dict:
    from django.db import connection

    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute("SHOW server_version")
        else:
            cursor.execute("SELECT sqlite_version()")
        version = cursor.fetchone()[0]
    return {"vendor": connection.vendor, "version": version, "name": str(connection.settings_dict["NAME"])}


def table(rows) -> str:
    header = f"{'case':<38} {'hits':>6} │ {'api p50':>8} {'p95':>8} {'p99':>8} {'×list':>6} │ " \
             f"{'http p50':>8} {'p95':>8} {'p99':>8} {'×list':>6}"
    lines = [header, "─" * len(header)]
    for row in rows:
        cells = [f"{row['case'][:38]:<38} {row['hits']:>6}"]
        for path in ("api", "http"):
            if path in row:
                s = row[path]
                cells.append(f"{s['p50_ms']:>8.1f} {s['p95_ms']:>8.1f} {s['p99_ms']:>8.1f} "
                             f"{s['ratio_p50_to_listing']:>6.2f}")
            else:
                cells.append(f"{'–':>8} {'–':>8} {'–':>8} {'–':>6}")
        lines.append(" │ ".join(cells))
    return "\n".join(lines)


def main(argv=None) -> int:
    args = parse_args(argv)
    url = configure_django(args)
    database_prepare()
    generation = catalogue_ready(args.products, args.seed, args.rebuild)

    from django.conf import settings
    from django.db import connection

    from catalogue.models import Product
    from catalogue.search import get_engine

    db = database_description()
    certified = Product.objects.browsable().certified().count()
    print(f"engine {settings.OCOP_SEARCH_ENGINE} · {db['vendor']} {db['version']} · {args.products:,} products "
          f"({certified:,} certified and public) · {args.runs} runs after {args.warmup} warm-up")
    engine = get_engine()
    rebuild = getattr(engine, "rebuild", None) or getattr(importlib.import_module(type(engine).__module__), "rebuild", None)
    if rebuild is not None:  # an engine with its own index: fill it first
        started = time.perf_counter()
        rebuild()
        print(f"index rebuilt in {time.perf_counter() - started:.1f} s")
    rows = measure(args)
    print()
    print(table(rows))
    print("(milliseconds; ×list: p50 divided by the plain listing's p50, same path)")

    BENCH_DIR.mkdir(parents=True, exist_ok=True)
    stamp = dt.datetime.now().strftime("%Y%m%d-%H%M%S")
    out = BENCH_DIR / f"search-{args.engine}-{connection.vendor}-{stamp}.json"
    out.write_text(json.dumps({
        "benchmark": "search",
        "when": dt.datetime.now().astimezone().isoformat(timespec="seconds"),
        "engine": args.engine,
        "database": db,
        "database_url": url.split("@")[-1] if "@" in url else url,
        "products": args.products,
        "certified_public_products": certified,
        "seed": args.seed,
        "runs": args.runs,
        "warmup": args.warmup,
        "generation": generation,
        "machine": machine(),
        "results": rows,
    }, ensure_ascii=False, indent=2))
    print(f"written {out.relative_to(ROOT)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
