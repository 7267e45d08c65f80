#!/usr/bin/env python
"""Load benchmark: the project served by gunicorn (production settings, DEBUG off), driven over loopback by wrk.

Every page is loaded at 8 and 32 connections, as an anonymous visitor and as a signed-in shopper with a non-empty
basket, twice (both runs reported), each run after a short warm-up. Throughput is also given as a ratio to the
*ceiling* (a view answering "ok" through the same middleware stack) measured in the same pass, so runs on different
machines compare by ratios. Also measured: SQL queries per request (in-process, cold and warm cache), the peak
memory of a gunicorn worker, and order placement by 8 concurrent buyers (cash on delivery, some racing for the same
low-stock product), with a check that no unit was oversold. A plain script: never part of ``make test``.

    python bench/load_bench.py --quick --products 0           # smoke run on the demo data
    make bench                                                # 20,000 products on PostgreSQL, the full run
    make bench BENCH_ARGS="--database-url sqlite:///var/bench/load.sqlite3 --products 2000"
"""

from __future__ import annotations

import argparse
import contextlib
import datetime as dt
import html as html_module
import json
import math
import os
import platform
import re
import shutil
import signal
import socket
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.request
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
BENCH_DIR = ROOT / "var" / "bench"
WRK_DIR = Path(__file__).resolve().parent / "wrk"
DEFAULT_DATABASE_URL = "postgres://postgres@127.0.0.1:5432/ocop_bench"
DEFAULT_REDIS_URL = "redis://127.0.0.1:6379/1"  # a db number of its own: flushed at the start of every run
SETTINGS = "config.settings.bench"
SHOPPER_EMAIL = "bench-shopper@example.vn"
HUGE_STOCK = 100_000_000  # the basket-add and buyers' products never run out during a run
RACE_UNITS = 3  # units of the low-stock product on offer in each round of the order race
QUERY_LIMIT = 20

# Profiles: who sends the requests. "guest-basket" (an anonymous shopper with Oscar's basket cookie) is measured
# for queries always, and loaded only when asked (--profiles): it costs what the signed-in shopper costs, minus
# the user row.
PROFILES = ("anonymous", "shopper", "guest-basket")
DEFAULT_PROFILES = ("anonymous", "shopper")


# ------------------------------------------------------------------------------------------------ targets (pure)
@dataclass(frozen=True)
class Target:
    name: str
    pages: frozenset
    profiles: frozenset
    kind: str  # "ratio": rps / ceiling rps at least `limit`; "p95": p95 in ms below `limit`
    limit: float
    connections: int | None = None  # only runs at this many connections are judged

    def applies(self, run: dict) -> bool:
        return (run["page"] in self.pages and run["profile"] in self.profiles
                and (self.connections is None or run["connections"] == self.connections))

    def passes(self, run: dict) -> bool | None:
        if not run.get("requests"):
            return False  # not one request answered within the run
        value = run.get("ratio") if self.kind == "ratio" else run.get("p95_ms")
        if value is None:
            return None
        return value >= self.limit if self.kind == "ratio" else value < self.limit

    def label(self) -> str:
        return f"≥{self.limit:g}×" if self.kind == "ratio" else f"p95<{self.limit:g}"


BROWSE_PAGES = frozenset({"listing", "category", "product", "story", "live"})
SHOPPERS = frozenset({"shopper", "guest-basket"})
TARGETS = (
    Target("anonymous listing, category, product, story, live ≥ 0.5 × ceiling", BROWSE_PAGES,
           frozenset({"anonymous"}), "ratio", 0.5),
    Target("the same pages for a shopper with a basket ≥ 0.2 × ceiling", BROWSE_PAGES, SHOPPERS, "ratio", 0.2),
    Target("search p95 < 50 ms at 8 connections", frozenset({"search-common", "search-accent"}),
           frozenset(PROFILES), "p95", 50, connections=8),
    Target("suggestions p95 < 30 ms at 8 connections", frozenset({"suggest"}), frozenset(PROFILES), "p95", 30,
           connections=8),
    Target("basket add ≥ 0.15 × ceiling", frozenset({"basket-add"}), frozenset(PROFILES), "ratio", 0.15),
)
ORDER_P95_MS = 500


def target_for(run: dict) -> Target | None:
    return next((t for t in TARGETS if t.applies(run)), None)


def runs_judge(runs: list[dict]) -> None:
    """Give every run its ratio to the ceiling of the same pass and connection count, and its target verdict."""
    ceilings = {}
    for r in runs:
        if r["page"] == "ceiling" and r["profile"] == "anonymous":
            key = (r["pass"], r["connections"])
            ceilings[key] = max(ceilings.get(key, 0), r["rps"])  # measured at both ends of the block
    for run in runs:
        ceiling = ceilings.get((run["pass"], run["connections"])) or None  # a ceiling run with no answer: no ratio
        run["ratio"] = round(run["rps"] / ceiling, 3) if ceiling else None
        target = target_for(run)
        run["target"] = target.label() if target else ""
        run["target_ok"] = target.passes(run) if target else None


def targets_summary(runs: list[dict], queries: dict, orders: dict | None) -> list[dict]:
    """One line per target: passed only if every judged run passed (both runs of every point)."""
    lines = []
    for target in TARGETS:
        judged = [r for r in runs if target.applies(r)]
        if not judged:
            continue
        failed = [r for r in judged if not r["target_ok"]]
        worst = (min if target.kind == "ratio" else max)(
            (r["ratio"] if target.kind == "ratio" else r["p95_ms"]) or 0 for r in judged)
        lines.append({"target": target.name, "ok": not failed, "runs": len(judged), "worst": worst,
                      "failed": sorted({f"{r['page']}/{r['profile']}/c{r['connections']}" for r in failed})})
    over = sorted(f"{page}/{profile} ({q['warm']})" for (page, profile), q in queries_items(queries)
                  if q.get("warm") is not None and q["warm"] > QUERY_LIMIT)
    if queries:
        worst = max((q["warm"] for _key, q in queries_items(queries) if q.get("warm") is not None), default=0)
        lines.append({"target": f"no page above {QUERY_LIMIT} queries (warm)", "ok": not over,
                      "runs": len(queries), "worst": worst, "failed": over})
    if orders:
        lines.append({"target": f"order placement p95 < {ORDER_P95_MS} ms, no errors",
                      "ok": orders["p95_ms"] < ORDER_P95_MS and not orders["errors"],
                      "runs": orders["placed"] + orders["refused"] + orders["errors"], "worst": orders["p95_ms"],
                      "failed": [f"{orders['errors']} errors"] if orders["errors"] else []})
        lines.append({"target": "never an oversold unit", "ok": orders["oversold"] == 0,
                      "runs": orders["rounds"], "worst": orders["oversold"], "failed": orders["oversold_detail"]})
    return lines


def queries_items(queries: dict):
    """queries is {"page/profile": {...}} in the JSON; yield ((page, profile), counts)."""
    for key, counts in queries.items():
        page, _, profile = key.partition("/")
        yield (page, profile), counts


# ------------------------------------------------------------------------------------------------ wrk output (pure)
def wrk_result_parse(stdout: str) -> dict:
    """The BENCH_RESULT line printed by bench/wrk/report.lua's done(), as milliseconds and counts."""
    line = next((line for line in stdout.splitlines() if line.startswith("BENCH_RESULT ")), None)
    if line is None:
        raise ValueError(f"no BENCH_RESULT line in wrk's output:\n{stdout[-2000:]}")
    raw = json.loads(line[len("BENCH_RESULT "):])
    errors = raw["errors"]
    status = raw["status"]
    return {
        "requests": raw["requests"],
        "seconds": round(raw["duration_us"] / 1e6, 2),
        "rps": round(raw["rps"], 1),
        "p50_ms": round(raw["p50_us"] / 1000, 2),
        "p95_ms": round(raw["p95_us"] / 1000, 2),
        "p99_ms": round(raw["p99_us"] / 1000, 2),
        "mean_ms": round(raw["mean_us"] / 1000, 2),
        "max_ms": round(raw["max_us"] / 1000, 2),
        "socket_errors": errors["connect"] + errors["read"] + errors["write"] + errors["timeout"],
        "errors": errors,
        "non_2xx_3xx": status["4xx"] + status["5xx"],
        "unexpected_status": status["unexpected"],
        "status": {k: v for k, v in status.items() if k != "unexpected"},
    }


def percentile(values: list[float], p: float) -> float:
    """Nearest-rank percentile."""
    ordered = sorted(values)
    if not ordered:
        return 0.0
    return ordered[max(0, math.ceil(p / 100 * len(ordered)) - 1)]


def hidden_inputs(html: str) -> dict:
    """name → value of every <input type="hidden"> in a page (attributes in any order)."""
    found = {}
    for tag in re.findall(r"<input\b[^>]*>", html, flags=re.IGNORECASE):
        attrs = dict(re.findall(r'([\w-]+)\s*=\s*"([^"]*)"', tag))
        if attrs.get("type", "").lower() == "hidden" and "name" in attrs:
            found[attrs["name"]] = attrs.get("value", "")
    return found


def alert_text(html: str) -> str:
    """The first error or warning message on a page (Oscar's alert markup), as plain text."""
    match = re.search(r'class="[^"]*\balert-(?:danger|error|warning)\b[^"]*"[^>]*>(.*?)</div>', html, flags=re.S)
    if not match:
        return ""
    text = re.sub(r"<button\b.*?</button>", " ", match.group(1), flags=re.S)  # the close button's ×
    return re.sub(r"\s+", " ", html_module.unescape(re.sub(r"<[^>]+>", " ", text))).strip()


def page_gist(html: str, limit: int = 200) -> str:
    """A page's <title>, else its first words: enough to tell a 500 from a form error in a report."""
    title = re.search(r"<title>(.*?)</title>", html, flags=re.S | re.I)
    text = title.group(1) if title else re.sub(r"<[^>]+>", " ", html)
    return re.sub(r"\s+", " ", html_module.unescape(text)).strip()[:limit]


# ------------------------------------------------------------------------------------------------ table (pure)
def _cell(value, fmt: str, width: int) -> str:
    return f"{'–':>{width}}" if value is None else f"{value:>{width}{fmt}}"


def run_label(run: dict) -> str:
    """1, 2…; the anonymous ceiling runs at the start (a) and the end (b) of each pass."""
    return str(run["pass"]) + {"start": "a", "end": "b"}.get(run.get("at"), "")


def table_format(runs: list[dict], queries: dict) -> str:
    header = (f"{'page':<14} {'who':<12} {'conn':>4} {'run':>3} │ {'req/s':>8} {'p50':>7} {'p95':>7} {'p99':>7} │ "
              f"{'×ceil':>6} {'target':>7} {'ok':>4} │ {'errors':>6} {'bad':>5} │ {'queries':>9}")
    lines = [header, "─" * len(header)]
    previous = None
    for run in runs:
        point = (run["page"], run["profile"])
        if previous is not None and point[0] != previous[0]:
            lines.append("")
        previous = point
        q = queries.get(f"{run['page']}/{run['profile']}", {})
        q_text = f"{q.get('cold', '–')}/{q.get('warm', '–')}" if q else "–"
        if q and q.get("warm") is not None and q["warm"] > QUERY_LIMIT:
            q_text += "!"
        ok = {True: "yes", False: "NO", None: ""}[run.get("target_ok")]
        lines.append(
            f"{run['page']:<14} {run['profile']:<12} {run['connections']:>4} {run_label(run):>3} │ "
            f"{run['rps']:>8.1f} {run['p50_ms']:>7.1f} {run['p95_ms']:>7.1f} {run['p99_ms']:>7.1f} │ "
            f"{_cell(run.get('ratio'), '.2f', 6)} {run.get('target', ''):>7} {ok:>4} │ "
            f"{run['socket_errors']:>6} {run['non_2xx_3xx'] + run['unexpected_status']:>5} │ {q_text:>9}")
    return "\n".join(lines)


def summary_format(lines: list[dict]) -> str:
    out = []
    for line in lines:
        verdict = "PASS" if line["ok"] else "FAIL"
        worst = line["worst"]
        worst_text = f"{worst:.2f}" if isinstance(worst, float) else str(worst)
        failed = f"  ✗ {', '.join(line['failed'])}" if line["failed"] else ""
        out.append(f"  {verdict}  {line['target']}  (worst {worst_text}, {line['runs']} judged){failed}")
    return "\n".join(out)


def orders_format(orders: dict) -> str:
    return (f"order placement: {orders['buyers']} buyers × {orders['rounds']} rounds · placed {orders['placed']}, "
            f"refused {orders['refused']} (409: out of stock), errors {orders['errors']} · checkout POST "
            f"p50 {orders['p50_ms']:.0f} ms, p95 {orders['p95_ms']:.0f} ms, p99 {orders['p99_ms']:.0f} ms · "
            f"whole order (add, checkout page, POST) p95 {orders['flow_p95_ms']:.0f} ms\n"
            f"  low-stock race: {orders['race_sold']} units sold of {orders['race_offered']} offered in "
            f"{orders['rounds']} rounds; oversold {orders['oversold']}; stock records with allocated > in stock: "
            f"{orders['overallocated_before']} before, {orders['overallocated_after']} after")


# ------------------------------------------------------------------------------------------ arguments, environment
def args_parse(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--database-url", default=DEFAULT_DATABASE_URL, help=f"default {DEFAULT_DATABASE_URL}")
    parser.add_argument("--redis-url", default=DEFAULT_REDIS_URL, help="cache shared by the workers; '' for none")
    parser.add_argument("--products", type=int, default=20_000, help="generate_catalogue size; 0: demo data only")
    parser.add_argument("--producers", type=int, default=7_000)
    parser.add_argument("--showrooms", type=int, default=700)
    parser.add_argument("--orders", type=int, default=50_000, help="historical orders generate_catalogue makes")
    parser.add_argument("--seed", type=int, help="generate_catalogue's seed (default: its own)")
    parser.add_argument("--workers", type=int, default=2 * (os.cpu_count() or 1), help="gunicorn workers (2×nproc)")
    parser.add_argument("--worker-class", default="gthread", choices=["gthread", "sync"])
    parser.add_argument("--threads", type=int, default=4, help="threads per gthread worker")
    parser.add_argument("--connections", default="8,32", help="wrk connection counts, comma-separated")
    parser.add_argument("--duration", type=float, default=10, help="seconds per run (default 10)")
    parser.add_argument("--warmup", type=float, default=2, help="seconds of untimed load before each run")
    parser.add_argument("--runs", type=int, default=2, help="runs per point (default 2, both reported)")
    parser.add_argument("--profiles", default=",".join(DEFAULT_PROFILES), help=f"any of {', '.join(PROFILES)}")
    parser.add_argument("--pages", default="", help="only these pages (comma-separated names), for a quick look")
    parser.add_argument("--buyers", type=int, default=8, help="concurrent buyers placing orders")
    parser.add_argument("--rounds", type=int, default=10, help="orders each buyer places")
    parser.add_argument("--racers", type=int, default=4, help="buyers who also want the low-stock product")
    parser.add_argument("--quick", action="store_true",
                        help="smoke run: 3 s runs after 1 s, 8 connections only, 3 rounds of orders")
    parser.add_argument("--skip-prepare", action="store_true", help="skip migrate/seed/generate/collectstatic")
    parser.add_argument("--strict", action="store_true", help="exit with status 1 when a target is missed")
    args = parser.parse_args(argv)
    if args.quick:
        args.duration, args.warmup, args.connections, args.rounds = 3, 1, "8", min(args.rounds, 3)
    args.connections = [int(c) for c in str(args.connections).split(",") if c.strip()]
    args.profiles = [p.strip() for p in args.profiles.split(",") if p.strip()]
    unknown = set(args.profiles) - set(PROFILES)
    if unknown:
        parser.error(f"unknown profiles: {', '.join(sorted(unknown))}")
    args.pages = [p.strip() for p in args.pages.split(",") if p.strip()]
    return args


def bench_env(args) -> dict:
    """The environment of every process of the run: this one (in-process Django), manage.py and gunicorn."""
    env = dict(os.environ)
    env.update({
        "DJANGO_SETTINGS_MODULE": SETTINGS,
        "DATABASE_URL": args.database_url,
        "DJANGO_SECRET_KEY": env.get("DJANGO_SECRET_KEY") or "bench-only-not-secret-" + "x" * 50,
        "DJANGO_STATIC_ROOT": str(BENCH_DIR / "static"),
        "PYTHONUNBUFFERED": "1",
    })
    env.pop("DJANGO_DEBUG", None)
    if args.redis_url:
        env["REDIS_URL"] = args.redis_url
    else:
        env.pop("REDIS_URL", None)
    return env


def wrk_ensure() -> str:
    """wrk from the system's packages: installed here if missing and we are root (waiting for a running apt)."""
    found = shutil.which("wrk")
    if found:
        return found
    if os.geteuid() != 0:
        sys.exit("wrk is not installed: run `sudo apt-get install -y wrk` (Debian/Ubuntu), then run the bench again.")
    print("installing wrk (apt-get; waits for a running apt to finish)…", flush=True)
    apt = ["apt-get", "-o", "DPkg::Lock::Timeout=900"]
    quiet = {**os.environ, "DEBIAN_FRONTEND": "noninteractive"}
    if subprocess.run([*apt, "install", "-y", "-q", "wrk"], env=quiet).returncode:  # no package lists yet?
        subprocess.run([*apt, "update", "-q"], env=quiet)
        subprocess.run([*apt, "install", "-y", "-q", "wrk"], env=quiet)
    found = shutil.which("wrk")
    if not found:
        sys.exit("wrk could not be installed with apt-get; install it by hand (`apt-get install -y wrk`).")
    return found


def redis_ensure(env: dict) -> str:
    """Flush the bench's Redis database, or fall back to each worker's own memory (said loudly)."""
    url = env.get("REDIS_URL")
    if not url:
        return "locmem (per worker: no --redis-url)"
    try:
        import redis
    except ImportError:
        print("WARNING: the `redis` client is not installed in this virtualenv: each worker gets its own "
              "local-memory cache instead of the shared Redis one.", flush=True)
        env.pop("REDIS_URL")
        return "locmem (per worker: the redis client package is not installed)"
    try:
        redis.Redis.from_url(url).flushdb()
    except redis.RedisError as error:
        print(f"WARNING: Redis at {url} does not answer ({error}): each worker gets its own local-memory cache.")
        env.pop("REDIS_URL")
        return f"locmem (per worker: Redis at {url} did not answer)"
    return f"redis {url} (flushed at the start)"


# ------------------------------------------------------------------------------------------------ database
def manage(env: dict, *command: str, stream: bool = False) -> None:
    """manage.py in a process of its own with the bench environment; its output shown as it comes if `stream`."""
    started = time.perf_counter()
    result = subprocess.run([sys.executable, "manage.py", *command], cwd=ROOT, env=env, text=True,
                            capture_output=not stream)
    if result.returncode:
        sys.exit(f"manage.py {' '.join(command)} failed ({result.returncode}):\n{(result.stdout or '')[-3000:]}"
                 f"\n{(result.stderr or '')[-5000:]}")
    print(f"  manage.py {' '.join(command)}: {time.perf_counter() - started:.1f} s", flush=True)


def command_exists(env: dict, name: str) -> bool:
    return subprocess.run([sys.executable, "manage.py", "help", name], cwd=ROOT, env=env,
                          capture_output=True).returncode == 0


def database_prepare(args, env: dict) -> None:
    """Before this process loads Django: collectstatic writes the manifest the static files storage reads once."""
    if args.database_url.startswith(("postgres://", "postgresql://")):
        sys.path.insert(0, str(Path(__file__).resolve().parent))
        from search_bench import postgres_database_ensure

        postgres_database_ensure(args.database_url)
    if args.skip_prepare:
        return
    print("preparing the database (idempotent: a second run reuses it)", flush=True)
    manage(env, "migrate", "--noinput", "-v", "0")
    manage(env, "seed_reference_data", "-v", "0")
    manage(env, "load_demo_data", "-v", "0")
    if args.products:
        if not command_exists(env, "generate_catalogue"):
            sys.exit("manage.py generate_catalogue is not there (yet): run with --products 0 for the demo data only.")
        seed = ["--seed", str(args.seed)] if args.seed is not None else []
        manage(env, "generate_catalogue", "--products", str(args.products), "--producers", str(args.producers),
               "--showrooms", str(args.showrooms), "--orders", str(args.orders), *seed, stream=True)
    manage(env, "collectstatic", "--noinput", "-v", "0")


def django_setup(env: dict) -> None:
    os.environ.update(env)
    for name in ("REDIS_URL", "DJANGO_DEBUG"):
        if name not in env:
            os.environ.pop(name, None)
    sys.path.insert(0, str(ROOT))
    import django

    django.setup()


def database_description() -> dict:
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("SHOW server_version" if connection.vendor == "postgresql" else "SELECT sqlite_version()")
        version = cursor.fetchone()[0]
    return {"vendor": connection.vendor, "version": version, "name": str(connection.settings_dict["NAME"])}


# ------------------------------------------------------------------------------------------------ what to load
@dataclass
class Page:
    name: str
    path: str
    method: str = "GET"
    body: str = ""
    expected: int = 200
    note: str = ""
    paths_file: str = ""  # many paths loaded in turn (bench/wrk/paths.lua); `path` is the first of them


@dataclass
class Fixture:
    """What the run needs from the database: the pages, and the products buyers and shoppers use."""
    pages: list = field(default_factory=list)
    basket_product: object = None
    shopper_products: list = field(default_factory=list)
    buyer_products: list = field(default_factory=list)
    race_product: object = None
    province: object = None
    commune: object = None


def purchasable_products():
    """Certified, public, stocked, physical products that need no age check nor visit date: the ones a shopper can
    put in a basket without a question (by primary key, so a run picks the same ones as the last)."""
    from oscar.core.loading import get_model

    from catalogue.models import Product

    StockRecord = get_model("partner", "StockRecord")
    stocked = StockRecord.objects.values_list("product_id", flat=True)
    return (Product.objects.browsable().certified().filter(
        pk__in=stocked, is_age_restricted=False, product_class__requires_shipping=True, structure="standalone",
    ).order_by("pk"))


def stock_raise(products) -> None:
    """Plenty of units for these products (never oversold by the run), listings refreshed as the project does."""
    from django.db.models import F
    from oscar.core.loading import get_model

    StockRecord = get_model("partner", "StockRecord")
    ids = [p.pk for p in products]
    StockRecord.objects.filter(product_id__in=ids).update(num_in_stock=F("num_allocated") + HUGE_STOCK)
    listings_refresh(ids)


def listings_refresh(product_ids) -> None:
    try:
        from catalogue.listing import listings_refresh as refresh
    except ImportError:  # a project without denormalised listing columns
        return
    refresh(product_ids=list(product_ids))


def spread_products_file(count: int = 1000) -> tuple[str, int]:
    """Paths of `count` certified products spread over the catalogue, written for paths.lua; (first path, count)."""
    from catalogue.models import Product

    ids = list(Product.objects.browsable().certified().order_by("pk").values_list("pk", flat=True))
    step = max(1, len(ids) // count)
    products = Product.objects.filter(pk__in=ids[::step][:count]).order_by("pk")
    paths = [p.get_absolute_url() for p in products]
    out = BENCH_DIR / "product-paths.txt"
    out.write_text("\n".join(paths) + "\n")
    return str(out), len(paths)


def fixture_pick() -> Fixture:
    """The products baskets and buyers use (their stock raised for the run, the race product's set per round), the
    buyers' address, and the pages."""
    from catalogue.models import AdministrativeUnit

    products = list(purchasable_products()[:40])
    if len(products) < 12:
        sys.exit(f"only {len(products)} purchasable products in the database: load the demo data first.")
    stock_raise(products[:11])
    province = AdministrativeUnit.objects.get(level="province", name__contains="An Giang")
    fixture = Fixture(basket_product=products[0], shopper_products=products[1:3], buyer_products=products[3:11],
                      race_product=products[11], province=province,
                      commune=AdministrativeUnit.objects.filter(level="commune", parent=province).order_by("code")[0])
    fixture.pages = pages_pick(fixture.basket_product, default_product=products[0])
    return fixture


def pages_pick(basket_product, default_product) -> list[Page]:
    from django.db.models import Count, Q

    from catalogue.models import Category, Product
    from cms.models import StoryPage
    from livestream.models import LiveSession

    certified = Product.objects.browsable().certified()
    product = certified.filter(story_links__page__live=True).order_by("pk").first() or default_product
    story = (StoryPage.objects.live().filter(story_products__product=product).first()
             or StoryPage.objects.live().order_by("pk").first())
    category = (Category.objects.annotate(n=Count("product", filter=Q(product__in=certified))).order_by("-n", "pk")
                .first())
    session = (LiveSession.objects.filter(status=LiveSession.Status.LIVE).order_by("pk").first()
               or LiveSession.objects.annotate(n=Count("featured")).order_by("-n", "pk").first())
    if story is None or category is None or session is None:
        sys.exit("no story page, category or live session in the database: run manage.py load_demo_data.")
    spread_file, spread_count = spread_products_file()
    return [
        Page("ceiling", "/_bench/ceiling/", note="HttpResponse('ok') through the same middleware"),
        Page("home", "/"),
        Page("listing", "/shop/catalogue/", note="browse with facets"),
        Page("category", category.get_absolute_url(), note=f"{category.n} certified products"),
        Page("product", product.get_absolute_url(), note=product.title),
        Page("product-spread", Path(spread_file).read_text().split()[0], paths_file=spread_file,
             note=f"{spread_count} certified products in turn (no target: what a page cache misses)"),
        Page("story", story.url, note=story.title),
        Page("search-common", "/shop/search/?q=gao", note="a common word"),
        Page("search-accent", "/shop/search/?q=mam+ca+linh+chau+doc", note="a query typed without accents"),
        Page("live", session.get_absolute_url(), note=f"{session.title} ({session.status})"),
        Page("basket-add", f"/shop/basket/add/{basket_product.pk}/", "POST", "quantity=1", 302,
             note=basket_product.title),
        Page("suggest", "/shop/search/suggest/?q=duo", note="search suggestions as you type"),
    ]


# ------------------------------------------------------------------------------------------------ who asks
def csrf_token() -> str:
    from django.middleware.csrf import _get_new_csrf_string

    return _get_new_csrf_string()


def django_client(cookies: dict | None = None):
    from django.test import Client

    client = Client(SERVER_NAME="127.0.0.1", HTTP_ACCEPT_LANGUAGE="vi")
    for name, value in (cookies or {}).items():
        client.cookies[name] = value
    return client


def shopper_cookies(fixture: Fixture, token: str) -> dict:
    """Sign the bench shopper in (created once) with a basket of two products; its cookies for wrk."""
    from django.conf import settings
    from django.contrib.auth import get_user_model

    User = get_user_model()
    user, _created = User.objects.get_or_create(email=SHOPPER_EMAIL)
    client = django_client()
    client.force_login(user)
    cookies = {settings.SESSION_COOKIE_NAME: client.cookies[settings.SESSION_COOKIE_NAME].value}
    shopper_basket_reset(fixture, cookies)
    return {**cookies, settings.CSRF_COOKIE_NAME: token}


def guest_basket_cookies(fixture: Fixture, token: str) -> dict:
    """An anonymous visitor whose basket (Oscar's signed cookie) holds the same two products."""
    from django.conf import settings

    client = django_client()
    basket_fill(client, fixture.shopper_products)
    return {settings.OSCAR_BASKET_COOKIE_OPEN: client.cookies[settings.OSCAR_BASKET_COOKIE_OPEN].value,
            settings.CSRF_COOKIE_NAME: token}


def basket_fill(client, products) -> None:
    for product in products:
        response = client.post(f"/shop/basket/add/{product.pk}/", {"quantity": 1})
        if response.status_code != 302:
            sys.exit(f"could not put {product.title!r} in a basket: {response.status_code}")


def shopper_basket_reset(fixture: Fixture, cookies: dict) -> None:
    """Back to two lines of one unit (basket add runs pile thousands of units onto the basket's line)."""
    from django.conf import settings
    from oscar.core.loading import get_model

    Basket = get_model("basket", "Basket")
    if settings.SESSION_COOKIE_NAME in cookies:
        from django.contrib.auth import get_user_model

        user = get_user_model().objects.get(email=SHOPPER_EMAIL)
        for basket in Basket.open.filter(owner=user):
            basket.flush()
    else:
        from django.core.signing import Signer

        basket_id = Signer().unsign(cookies[settings.OSCAR_BASKET_COOKIE_OPEN])
        Basket.open.get(pk=basket_id).flush()
    basket_fill(django_client(cookies), fixture.shopper_products)


def profiles_cookies(fixture: Fixture) -> dict:
    from django.conf import settings

    token = csrf_token()
    return {
        "anonymous": {settings.CSRF_COOKIE_NAME: token},
        "shopper": shopper_cookies(fixture, token),
        "guest-basket": guest_basket_cookies(fixture, token),
    }


def cookie_header(cookies: dict) -> str:
    return "; ".join(f"{name}={value}" for name, value in cookies.items())


# ------------------------------------------------------------------------------------------------ queries per request
def queries_count(client_for, page: Page) -> int:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    client = client_for()
    with CaptureQueriesContext(connection) as captured:
        if page.method == "POST":
            response = client.post(page.path, {"quantity": 1})
        else:
            response = client.get(page.path)
    if response.status_code != page.expected:
        raise RuntimeError(f"{page.method} {page.path} answered {response.status_code}, not {page.expected}")
    return len(captured)


def queries_measure(fixture: Fixture, cookies: dict) -> dict:
    """SQL queries of one request per page and profile: the first after the cache is cleared, then the next one."""
    from django.core.cache import cache

    measured = {}
    django_client().get("/_bench/ceiling/")  # process-level warm-up (URL resolvers, Wagtail's site)
    for page in fixture.pages:
        for profile in PROFILES:
            if profile != "anonymous" and page.name == "basket-add":
                shopper_basket_reset(fixture, cookies[profile])
            cache.clear()
            client_for = (lambda p=profile: django_client(cookies[p])) if profile != "anonymous" else django_client
            cold = queries_count(client_for, page)
            warm = queries_count(client_for, page)
            measured[f"{page.name}/{profile}"] = {"cold": cold, "warm": warm}
    for profile in ("shopper", "guest-basket"):
        shopper_basket_reset(fixture, cookies[profile])
    cache.clear()
    return measured


# ------------------------------------------------------------------------------------------------ gunicorn
@dataclass
class Server:
    process: subprocess.Popen
    port: int
    log: Path

    @property
    def base(self) -> str:
        return f"http://127.0.0.1:{self.port}"


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def gunicorn_start(args, env: dict, stamp: str) -> Server:
    port = free_port()
    log = BENCH_DIR / f"gunicorn-{stamp}.log"
    command = [str(Path(sys.executable).with_name("gunicorn")), "config.wsgi:application",
               "--bind", f"127.0.0.1:{port}", "--workers", str(args.workers), "--worker-class", args.worker_class,
               "--log-level", "warning", "--timeout", "60"]
    if args.worker_class == "gthread":
        command += ["--threads", str(args.threads)]
    with log.open("w") as out:
        process = subprocess.Popen(command, cwd=ROOT, env=env, stdout=out, stderr=subprocess.STDOUT,
                                   start_new_session=True)
    return Server(process, port, log)


def server_wait(server: Server, seconds: float = 60) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if server.process.poll() is not None:
            sys.exit(f"gunicorn stopped ({server.process.returncode}); see {server.log}:\n"
                     f"{server.log.read_text()[-3000:]}")
        with contextlib.suppress(OSError):
            with urllib.request.urlopen(server.base + "/_bench/ceiling/", timeout=2) as response:
                if response.status == 200:
                    return
        time.sleep(0.3)
    sys.exit(f"gunicorn did not answer within {seconds:.0f} s; see {server.log}")


def gunicorn_stop(server: Server | None) -> None:
    if server is None or server.process.poll() is not None:
        return
    server.process.send_signal(signal.SIGTERM)
    try:
        server.process.wait(timeout=20)
    except subprocess.TimeoutExpired:
        with contextlib.suppress(ProcessLookupError):
            os.killpg(server.process.pid, signal.SIGKILL)
        server.process.wait()


def worker_pids(master: int) -> list[int]:
    """The gunicorn master's children, from /proc (no psutil)."""
    children = Path(f"/proc/{master}/task/{master}/children")
    if children.exists():
        return [int(pid) for pid in children.read_text().split()]
    pids = []
    for stat in Path("/proc").glob("[0-9]*/stat"):
        with contextlib.suppress(OSError, IndexError, ValueError):
            if int(stat.read_text().rsplit(")", 1)[1].split()[1]) == master:
                pids.append(int(stat.parent.name))
    return pids


def workers_memory(master: int) -> dict:
    """Peak resident memory (VmHWM) and current (VmRSS) of each worker, in MiB."""
    workers = {}
    for pid in worker_pids(master):
        with contextlib.suppress(OSError):
            status = dict(line.split(":", 1) for line in Path(f"/proc/{pid}/status").read_text().splitlines()
                          if ":" in line)
            workers[pid] = {name: round(int(status[key].split()[0]) / 1024, 1)
                            for name, key in (("peak_mib", "VmHWM"), ("rss_mib", "VmRSS"))}
    return workers


def cpu_ticks(pids: list[int]) -> int:
    total = 0
    for pid in pids:
        with contextlib.suppress(OSError, IndexError, ValueError):
            fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
            total += int(fields[11]) + int(fields[12])  # utime + stime
    return total


def workers_idle_wait(master: int, seconds: float = 120, window: float = 0.25) -> float:
    """Wait until the workers have finished what the last wrk run left queued (wrk stops; the requests it sent do
    not), i.e. until two windows in a row use under 5% of a CPU. Returns the seconds waited."""
    hz = os.sysconf("SC_CLK_TCK")
    started = time.monotonic()
    quiet = 0
    pids = worker_pids(master)
    before = cpu_ticks(pids)
    while quiet < 2 and time.monotonic() - started < seconds:
        time.sleep(window)
        after = cpu_ticks(pids)
        quiet = quiet + 1 if (after - before) / hz / window < 0.05 else 0
        before = after
    return time.monotonic() - started


def log_problems(log: Path) -> list[str]:
    text = log.read_text(errors="replace") if log.exists() else ""
    return [line for line in text.splitlines() if re.search(r"Traceback|ERROR|Error:|CRITICAL|WORKER TIMEOUT", line)]


# ------------------------------------------------------------------------------------------------ HTTP checks and wrk
def page_headers(page: Page, profile: str, cookies: dict, server: Server) -> dict:
    headers = {"Accept-Language": "vi", "Cookie": cookie_header(cookies[profile])}
    if page.method == "POST":
        headers["X-CSRFToken"] = cookies[profile]["csrftoken"]
        headers["Origin"] = server.base
    return headers


def http_status(server: Server, page: Page, headers: dict) -> int:
    request = urllib.request.Request(server.base + page.path, method=page.method, headers=headers,
                                     data=page.body.encode() if page.method == "POST" else None)
    if page.method == "POST":
        request.add_header("Content-Type", "application/x-www-form-urlencoded")

    class NoRedirect(urllib.request.HTTPRedirectHandler):
        def redirect_request(self, *args, **kwargs):
            return None

    try:
        with urllib.request.build_opener(NoRedirect).open(request, timeout=30) as response:
            return response.status
    except urllib.error.HTTPError as error:
        return error.code


def page_samples(page: Page, count: int = 20) -> list[Page]:
    """The page itself, or a sample spread over its paths file."""
    if not page.paths_file:
        return [page]
    paths = Path(page.paths_file).read_text().split()
    return [Page(page.name, path) for path in paths[:: max(1, len(paths) // count)]]


def pages_check(server: Server, fixture: Fixture, cookies: dict, profiles: list[str]) -> None:
    """Every page answers what the load expects, for every profile, before any load."""
    bad = []
    for page in fixture.pages:
        for profile in profiles:
            for variant in page_samples(page):
                status = http_status(server, variant, page_headers(page, profile, cookies, server))
                if status != page.expected:
                    bad.append(f"  {page.method} {variant.path} as {profile}: {status} (expected {page.expected})")
    account = Page("account", "/shop/accounts/profile/")
    signed_in = http_status(server, account, {"Cookie": cookie_header(cookies["shopper"])})
    if signed_in != 200:
        bad.append(f"  the shopper's session cookie does not sign in (/shop/accounts/profile/ answered {signed_in})")
    if bad:
        sys.exit("pages that do not answer as expected (fix them, or the load would measure errors):\n"
                 + "\n".join(bad) + f"\nserver log: {server.log}")
    for profile in profiles:
        if profile != "anonymous":
            shopper_basket_reset(fixture, cookies[profile])


def wrk_run(wrk: str, server: Server, page: Page, headers: dict, connections: int, seconds: float) -> dict:
    script = WRK_DIR / ("post.lua" if page.method == "POST" else "paths.lua" if page.paths_file else "report.lua")
    threads = max(1, min(connections, os.cpu_count() or 1))
    command = [wrk, "-t", str(threads), "-c", str(connections), "-d", f"{max(1, round(seconds))}s",
               "--timeout", "10s", "-s", str(script)]
    for name, value in headers.items():
        command += ["-H", f"{name}: {value}"]
    command += [server.base + page.path, "--", str(page.expected)]
    if page.method == "POST":
        command.append(page.body)
    elif page.paths_file:
        command.append(page.paths_file)
    result = subprocess.run(command, capture_output=True, text=True, timeout=seconds + 60)
    if result.returncode:
        raise RuntimeError(f"wrk failed ({result.returncode}): {result.stderr or result.stdout}")
    return wrk_result_parse(result.stdout)


def point_run(args, wrk: str, server: Server, fixture: Fixture, cookies: dict, page: Page, profile: str,
              connections: int) -> dict:
    """One measured run after its warm-up, each followed by waiting for the workers to finish what wrk left."""
    if page.method == "POST" and profile != "anonymous":
        shopper_basket_reset(fixture, cookies[profile])
    headers = page_headers(page, profile, cookies, server)
    if args.warmup:
        wrk_run(wrk, server, page, headers, connections, args.warmup)
        workers_idle_wait(server.process.pid)
    result = wrk_run(wrk, server, page, headers, connections, args.duration)
    result["drain_s"] = round(workers_idle_wait(server.process.pid), 1)
    return {"page": page.name, "profile": profile, "connections": connections, **result,
            "load_average": round(os.getloadavg()[0], 2)}


def run_line(done: int, total: int, run: dict) -> str:
    bad = run["non_2xx_3xx"] + run["unexpected_status"]
    trouble = f"  ({bad} bad, {run['socket_errors']} socket errors)" if bad or run["socket_errors"] else ""
    return (f"  [{done}/{total}] {run['page']:<14} {run['profile']:<12} c{run['connections']:<3} "
            f"pass {run_label(run)}: {run['rps']:>8.1f} req/s  p95 {run['p95_ms']:>7.1f} ms{trouble}")


def load_measure(args, wrk: str, server: Server, fixture: Fixture, cookies: dict) -> list[dict]:
    """Pass after pass, at each connection count: the ceiling, every page as every profile, the ceiling again (the
    higher of the two is the block's reference: one slow moment of a busy machine does not inflate the ratios)."""
    pages = [p for p in fixture.pages if not args.pages or p.name in args.pages or p.name == "ceiling"]
    ceiling = next(p for p in pages if p.name == "ceiling")
    block = [(page, profile) for page in pages for profile in args.profiles] + [(ceiling, "anonymous")]
    runs, total = [], args.runs * len(args.connections) * len(block)
    for run_pass in range(1, args.runs + 1):
        for connections in args.connections:
            for index, (page, profile) in enumerate(block):
                run = point_run(args, wrk, server, fixture, cookies, page, profile, connections)
                run["pass"] = run_pass
                if page.name == "ceiling" and profile == "anonymous":
                    run["at"] = "start" if index == 0 else "end"
                runs.append(run)
                print(run_line(len(runs), total, run), flush=True)
    for profile in args.profiles:
        if profile != "anonymous":
            shopper_basket_reset(fixture, cookies[profile])
    return runs


def runs_ordered(runs: list[dict], pages: list[Page]) -> list[dict]:
    """Table order: by page (as listed), then profile, connections, pass."""
    page_index = {p.name: i for i, p in enumerate(pages)}
    return sorted(runs, key=lambda r: (page_index.get(r["page"], 99), PROFILES.index(r["profile"]),
                                       r["connections"], r["pass"], r.get("at") == "end"))


# ------------------------------------------------------------------------------------------------ order placement
class Buyer:
    """A guest in a browser of their own (a requests Session) placing cash-on-delivery orders over HTTP."""

    def __init__(self, index: int, server: Server, fixture: Fixture, racing: bool):
        import requests

        self.index = index
        self.server = server
        self.fixture = fixture
        self.racing = racing
        self.session = requests.Session()
        self.session.headers.update({"Accept-Language": "vi", "Origin": server.base})
        self.placements: list[dict] = []

    def url(self, path: str) -> str:
        return self.server.base + path

    def csrf(self) -> str:
        if "csrftoken" not in self.session.cookies:
            self.session.get(self.url(self.fixture.buyer_products[0].get_absolute_url()))
        return self.session.cookies["csrftoken"]

    def post(self, path: str, data: dict):
        token = self.csrf()
        return self.session.post(self.url(path), data={**data, "csrfmiddlewaretoken": token},
                                 headers={"X-CSRFToken": token, "Referer": self.url(path)}, allow_redirects=False,
                                 timeout=60)

    def basket_fill(self, round_no: int) -> None:
        self.session.cookies.clear()  # a new guest each round: nothing left over from a refused order
        products = [self.fixture.buyer_products[(self.index + round_no) % len(self.fixture.buyer_products)]]
        if self.racing:
            products.append(self.fixture.race_product)
        for product in products:
            response = self.post(f"/shop/basket/add/{product.pk}/", {"quantity": 1})
            if response.status_code != 302:
                raise RuntimeError(f"basket add {product.pk} answered {response.status_code}")

    def checkout_form(self) -> dict:
        page = self.session.get(self.url("/shop/checkout/"), allow_redirects=False, timeout=60)
        if page.status_code != 200:
            raise RuntimeError(f"checkout page answered {page.status_code} ({page.headers.get('Location', '')})")
        fields = hidden_inputs(page.text)
        province = self.fixture.province.pk
        quote = self.session.get(self.url(f"/shop/checkout/quote/?province={province}"), timeout=60).json()
        return {
            "email": f"bench-buyer-{self.index}@example.vn",
            "full_name": f"Người mua thử {self.index}",
            "phone": f"0912 345 6{self.index:02d}",
            "province": province,
            "commune": self.fixture.commune.pk,
            "street": "1 Lê Lợi, khóm 3",
            "payment_method": "cod",
            "privacy_consent": "on",
            "checkout_token": fields["checkout_token"],
            "fingerprint": quote["fingerprint"],
        }

    def place(self, form: dict) -> dict:
        started = time.perf_counter()
        response = self.post("/shop/checkout/", form)
        ms = (time.perf_counter() - started) * 1000
        outcome = {302: "placed", 409: "refused"}.get(response.status_code, "error")
        message = alert_text(response.text) or page_gist(response.text)
        detail = "" if outcome == "placed" else f"{response.status_code}: {message}"
        return {"buyer": self.index, "ms": ms, "outcome": outcome, "racing": self.racing, "detail": detail}


def buyer_thread(buyer: Buyer, rounds: int, start: threading.Barrier, go: threading.Barrier,
                 end: threading.Barrier) -> None:
    for round_no in range(rounds):
        start.wait()
        form = None
        began = time.perf_counter()
        try:
            buyer.basket_fill(round_no)
            form = buyer.checkout_form()
        except Exception as error:  # noqa: BLE001 - recorded, and the barriers must still be met
            buyer.placements.append({"buyer": buyer.index, "ms": 0, "outcome": "error", "racing": buyer.racing,
                                     "detail": f"before placing: {error}", "round": round_no})
        go.wait()
        if form is not None:
            try:
                placement = buyer.place(form)
            except Exception as error:  # noqa: BLE001
                placement = {"buyer": buyer.index, "ms": 0, "outcome": "error", "racing": buyer.racing,
                             "detail": str(error)}
            placement.update({"round": round_no, "flow_ms": (time.perf_counter() - began) * 1000})
            buyer.placements.append(placement)
        end.wait()


def race_stock_offer(product) -> dict:
    """RACE_UNITS units on offer for the next round (what was allocated stays allocated)."""
    from django.db.models import F
    from oscar.core.loading import get_model

    StockRecord = get_model("partner", "StockRecord")
    StockRecord.objects.filter(product=product).update(num_in_stock=F("num_allocated") + RACE_UNITS)
    record = StockRecord.objects.get(product=product)
    return {"in_stock": record.num_in_stock, "allocated": record.num_allocated}


def race_units_sold(product, since) -> int:
    from django.db.models import Sum
    from oscar.core.loading import get_model

    Line = get_model("order", "Line")
    return Line.objects.filter(product=product, order__date_placed__gte=since).aggregate(n=Sum("quantity"))["n"] or 0


def overallocated_records() -> int:
    from django.db.models import F
    from oscar.core.loading import get_model

    return get_model("partner", "StockRecord").objects.filter(num_allocated__gt=F("num_in_stock")).count()


def orders_measure(args, server: Server, fixture: Fixture) -> dict:
    """Rounds of concurrent checkouts: every buyer fills a basket, then all place their orders at once; the racers
    also want the low-stock product, of which RACE_UNITS are on offer each round."""
    from django.utils import timezone
    from oscar.core.loading import get_model

    StockRecord = get_model("partner", "StockRecord")
    overallocated_before = overallocated_records()
    buyers = [Buyer(i, server, fixture, racing=i < args.racers) for i in range(args.buyers)]
    start, end = threading.Barrier(args.buyers + 1, timeout=300), threading.Barrier(args.buyers + 1, timeout=300)
    go = threading.Barrier(args.buyers, timeout=300)
    threads = [threading.Thread(target=buyer_thread, args=(b, args.rounds, start, go, end), daemon=True)
               for b in buyers]
    for thread in threads:
        thread.start()
    rounds, oversold, oversold_detail = [], 0, []
    for round_no in range(args.rounds):
        offered = race_stock_offer(fixture.race_product)
        since = timezone.now()
        start.wait()
        end.wait()
        sold = race_units_sold(fixture.race_product, since)
        record = StockRecord.objects.get(product=fixture.race_product)
        round_info = {"round": round_no + 1, "offered": RACE_UNITS, "sold": sold, **offered,
                      "allocated_after": record.num_allocated, "in_stock_after": record.num_in_stock}
        if sold > RACE_UNITS or record.num_allocated > record.num_in_stock:
            oversold += max(0, sold - RACE_UNITS) or record.num_allocated - record.num_in_stock
            oversold_detail.append(f"round {round_no + 1}: sold {sold} of {RACE_UNITS}")
        rounds.append(round_info)
    for thread in threads:
        thread.join()
    listings_refresh([fixture.race_product.pk, *(p.pk for p in fixture.buyer_products)])
    return orders_summary(args, buyers, rounds, oversold, oversold_detail, overallocated_before)


def orders_summary(args, buyers, rounds, oversold, oversold_detail, overallocated_before) -> dict:
    placements = [p for b in buyers for p in b.placements]
    timed = [p["ms"] for p in placements if p["outcome"] in ("placed", "refused")]
    flows = [p["flow_ms"] for p in placements if p["outcome"] == "placed" and "flow_ms" in p]
    errors = [p for p in placements if p["outcome"] == "error"]
    return {
        "buyers": args.buyers, "racers": args.racers, "rounds": args.rounds,
        "placed": sum(p["outcome"] == "placed" for p in placements),
        "refused": sum(p["outcome"] == "refused" for p in placements),
        "errors": len(errors), "error_samples": [e["detail"] for e in errors[:5]],
        "refusals": sorted({p["detail"] for p in placements if p["outcome"] == "refused"}),
        "racers_refused": sum(p["outcome"] == "refused" and p["racing"] for p in placements),
        "p50_ms": round(percentile(timed, 50), 1), "p95_ms": round(percentile(timed, 95), 1),
        "p99_ms": round(percentile(timed, 99), 1), "max_ms": round(max(timed, default=0), 1),
        "flow_p95_ms": round(percentile(flows, 95), 1),
        "race_offered": RACE_UNITS * len(rounds), "race_sold": sum(r["sold"] for r in rounds),
        "oversold": oversold, "oversold_detail": oversold_detail, "race_rounds": rounds,
        "overallocated_before": overallocated_before, "overallocated_after": overallocated_records(),
    }


# ------------------------------------------------------------------------------------------------ report
def machine() -> dict:
    cpu = platform.processor()
    with contextlib.suppress(OSError, StopIteration):
        cpu = next(line.split(":", 1)[1].strip() for line in Path("/proc/cpuinfo").read_text().splitlines()
                   if line.startswith("model name"))
    ram = None
    with contextlib.suppress(OSError, StopIteration):
        ram = next(int(line.split()[1]) for line in Path("/proc/meminfo").read_text().splitlines()
                   if line.startswith("MemTotal:"))
    return {"nproc": os.cpu_count(), "cpu": cpu, "ram_gib": round(ram / 1024 / 1024, 1) if ram else None,
            "python": platform.python_version(), "platform": platform.platform()}


def machine_busy_warn() -> float:
    """The 1-minute load average before the load starts; a warning when others already use the CPUs."""
    load = os.getloadavg()[0]
    if load > 0.5 * (os.cpu_count() or 1):
        print(f"WARNING: the machine is already busy (load average {load:.1f} on {os.cpu_count()} CPUs): "
              "figures will be noisy; compare ratios, and runs made on a quiet machine.", flush=True)
    return round(load, 2)


def catalogue_size() -> dict:
    from catalogue.models import Product

    return {"products": Product.objects.count(), "certified_public": Product.objects.browsable().certified().count()}


def report_write(report: dict, vendor: str, stamp: str) -> Path:
    out = BENCH_DIR / f"load-{vendor}-{stamp}.json"
    out.write_text(json.dumps(report, ensure_ascii=False, indent=2, default=str))
    return out


def served_measure(args, env: dict, stamp: str, wrk: str, fixture: Fixture, cookies: dict) -> dict:
    """Everything measured against gunicorn; gunicorn is stopped whatever happens (errors, Ctrl-C, a kill)."""
    server = None
    try:
        server = gunicorn_start(args, env, stamp)
        server_wait(server)
        pages_check(server, fixture, cookies, args.profiles)
        print(f"gunicorn on {server.base} (pid {server.process.pid}); loading…", flush=True)
        runs = load_measure(args, wrk, server, fixture, cookies)
        print("order placement…", flush=True)
        orders = orders_measure(args, server, fixture) if args.buyers and args.rounds else None
        memory = workers_memory(server.process.pid)
    finally:
        gunicorn_stop(server)
    return {"runs": runs, "orders": orders, "memory": memory, "log": server.log, "problems": log_problems(server.log)}


def results_print(measured: dict, queries: dict, summary: list[dict], cache_backend: str) -> None:
    from django.conf import settings

    orders, memory = measured["orders"], measured["memory"]
    print()
    print(table_format(measured["runs"], queries))
    print("(req/s: requests per second; p50/p95/p99: latency in ms; ×ceil: req/s ÷ the anonymous ceiling's req/s in "
          "the same pass and connection count, the higher of its runs at the start (a) and end (b); errors: socket "
          "errors and timeouts; bad: answers not as expected (4xx/5xx, or another status than the page's 200/302); "
          f"queries: SQL per request cold/warm, ! above {QUERY_LIMIT})")
    if orders:
        print(orders_format(orders))
        for sample in orders["error_samples"]:
            print(f"  order error: {sample}")
        for refusal in orders["refusals"]:
            print(f"  refused with: {refusal[:200]}")
    peaks = [w["peak_mib"] for w in memory.values()]
    print(f"worker peak memory (VmHWM): {max(peaks, default=None)} MiB (each of {len(peaks)} workers: "
          f"{', '.join(str(p) for p in peaks)})")
    print(f"cache: {settings.CACHES['default']['BACKEND']} ({cache_backend})")
    if measured["problems"]:
        print(f"server log {measured['log'].relative_to(ROOT)}: {len(measured['problems'])} error lines, first: "
              f"{measured['problems'][0][:200]}")
    print("\ntargets:")
    print(summary_format(summary))


def report_build(args, db: dict, size: dict, cache_backend: str, load_before: float, fixture: Fixture,
                 queries: dict, measured: dict, summary: list[dict]) -> dict:
    from django.conf import settings

    memory = measured["memory"]
    return {
        "benchmark": "load",
        "when": dt.datetime.now().astimezone().isoformat(timespec="seconds"),
        "machine": {**machine(), "load_average_before": load_before,
                    "load_average_after": round(os.getloadavg()[0], 2)},
        "database": db,
        "database_url": args.database_url.split("@")[-1],
        "catalogue": {**size, "requested_products": args.products, "producers": args.producers,
                      "showrooms": args.showrooms, "orders": args.orders, "seed": args.seed},
        "settings": {"module": SETTINGS, "debug": settings.DEBUG, "cache": cache_backend,
                     "cache_backend": settings.CACHES["default"]["BACKEND"],
                     "session_engine": settings.SESSION_ENGINE,
                     "conn_max_age": settings.DATABASES["default"].get("CONN_MAX_AGE"),
                     "search_engine": getattr(settings, "OCOP_SEARCH_ENGINE", "")},
        "gunicorn": {"workers": args.workers, "worker_class": args.worker_class,
                     "threads": args.threads if args.worker_class == "gthread" else 1},
        "wrk": {"durations_s": args.duration, "warmup_s": args.warmup, "runs": args.runs,
                "connections": args.connections, "profiles": args.profiles},
        "pages": [vars(p) for p in fixture.pages],
        "runs": measured["runs"],
        "queries": queries,
        "workers_memory_mib": memory,
        "worker_peak_mib": max((w["peak_mib"] for w in memory.values()), default=None),
        "orders": measured["orders"],
        "targets": summary,
        "server_log_problems": measured["problems"][:50],
    }


def main(argv=None) -> int:
    args = args_parse(argv)
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(143))  # a kill runs the `finally` that stops gunicorn too
    BENCH_DIR.mkdir(parents=True, exist_ok=True)
    stamp = dt.datetime.now().strftime("%Y%m%d-%H%M%S")
    wrk = wrk_ensure()
    env = bench_env(args)
    cache_backend = redis_ensure(env)
    database_prepare(args, env)
    django_setup(env)

    db, size = database_description(), catalogue_size()
    fixture = fixture_pick()
    cookies = profiles_cookies(fixture)
    print(f"{db['vendor']} {db['version']} · {size['products']:,} products ({size['certified_public']:,} certified "
          f"and public) · cache: {cache_backend} · gunicorn {args.workers} × {args.worker_class}"
          + (f" ({args.threads} threads)" if args.worker_class == "gthread" else "")
          + f" · {args.duration:g} s runs after {args.warmup:g} s warm-up, {args.runs} runs per point", flush=True)
    for page in fixture.pages:
        print(f"  {page.name:<14} {page.method:<4} {page.path}  {page.note}")
    print("counting SQL queries per request (in-process, same settings and database)…", flush=True)
    queries = queries_measure(fixture, cookies)

    load_before = machine_busy_warn()
    measured = served_measure(args, env, stamp, wrk, fixture, cookies)
    runs_judge(measured["runs"])
    measured["runs"] = runs_ordered(measured["runs"], fixture.pages)
    summary = targets_summary(measured["runs"], queries, measured["orders"])
    results_print(measured, queries, summary, cache_backend)
    report = report_build(args, db, size, cache_backend, load_before, fixture, queries, measured, summary)
    out = report_write(report, db["vendor"], stamp)
    print(f"\nwritten {out.relative_to(ROOT)}")
    return 1 if args.strict and not all(line["ok"] for line in summary) else 0


if __name__ == "__main__":
    sys.exit(main())
