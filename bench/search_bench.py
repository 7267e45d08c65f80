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
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
BENCH_DIR = ROOT / "var" / "bench"
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
    """The generated catalogue of ``manage.py generate_catalogue`` (shop.generator) in the shape this benchmark has
    always used: a producer for ten products, three showrooms, no orders."""
    from shop.generator.services import Sizes, dataset_ensure

    sizes = Sizes.of(products=n, producers=max(1, n // 10), showrooms=3, orders=0)
    generation = dataset_ensure(sizes=sizes, seed=seed, rebuild=rebuild, log=lambda line: print(f"  {line}"))
    if generation["generated"]:
        print(f"generated {n:,} products in {generation['seconds']:.1f} s")
    else:
        print(f"reusing the catalogue of {n:,} products (seed {seed})")
    return {"generated": generation["generated"], "seconds": generation["seconds"] if generation["generated"] else 0.0}


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
