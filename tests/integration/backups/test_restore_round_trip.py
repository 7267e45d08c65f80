"""A backup is only as good as its restore: the README's commands, run on a database of demo data, give back the
same shop.

A fresh database of its own (never the test database) is migrated and filled with `manage.py load_demo_data`
(a catalogue with certificates in every state, a mixed cash-on-delivery order and a VietQR order, a year of
ledger history); the VietQR order is then paid through the payment service, so orders, payments and ledger rows
point at each other. It is dumped with `pg_dump -Fc`, the dump is checked with `pg_restore --list`, restored with
`pg_restore --clean --if-exists --no-owner` into a second fresh database, and the two are compared row by row
where it matters (orders, lines, parts, payments, the ledger, products, stock, certificates, users), table by table
for the rest, and sequence by sequence (a restored shop numbers its next order after the last one). The media
folder goes through `tar` the same way and every product photo the restored database names is there, unchanged.

Slow by nature: about two minutes, most of it `migrate` (about 70 s) and the demo data (about 30 s).
"""

from __future__ import annotations

import hashlib
import os
import re
import shutil
import subprocess
import sys
import uuid
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

import psycopg
import pytest

pytestmark = pytest.mark.postgres
PROJECT = Path(__file__).resolve().parents[3]


def server_url() -> str:
    return os.environ["DATABASE_URL"]


def url_for(name: str) -> str:
    parts = urlsplit(server_url())
    return urlunsplit(parts._replace(path=f"/{name}"))


def pg_env() -> dict:
    """The client tools reach the same server as the tests (PGHOST, PGPORT, PGUSER, PGPASSWORD)."""
    parts = urlsplit(server_url())
    env = dict(os.environ)
    env.update({"PGHOST": parts.hostname or "localhost", "PGPORT": str(parts.port or 5432),
                "PGUSER": parts.username or "postgres"})
    if parts.password:
        env["PGPASSWORD"] = parts.password
    return env


def run(*args, env=None, timeout=600) -> str:
    done = subprocess.run(args, cwd=PROJECT, env=env or pg_env(), capture_output=True, text=True, timeout=timeout)
    assert done.returncode == 0, f"{' '.join(map(str, args))} failed:\n{done.stdout[-3000:]}\n{done.stderr[-3000:]}"
    return done.stdout


def manage(database: str, media: Path, *args) -> str:
    """manage.py as an operator runs it: development settings, everything from the environment."""
    env = pg_env()
    env.update({
        "DJANGO_SETTINGS_MODULE": "config.settings.dev",
        "DATABASE_URL": url_for(database),
        "DJANGO_MEDIA_ROOT": str(media),
        "DJANGO_DEBUG": "false",
        "DJANGO_EMAIL_BACKEND": "django.core.mail.backends.locmem.EmailBackend",
        "REDIS_URL": "",
        "OCOP_SEARCH_ENGINE": "database",
        "OCOP_TASKS_BACKEND": "immediate",
    })
    return run(sys.executable, "manage.py", *args, env=env)


def major(version_text: str) -> int:
    return int(re.search(r"(\d+)(?:\.\d+)?", version_text).group(1))


@pytest.fixture
def databases():
    """Two empty databases of this test's own, dropped at the end whatever happens."""
    for tool in ("pg_dump", "pg_restore", "createdb", "dropdb"):
        assert shutil.which(tool), f"{tool} not found: apt-get install postgresql-client"
    suffix = uuid.uuid4().hex[:8]
    names = (f"ocop_backup_{suffix}", f"ocop_restored_{suffix}")
    for name in names:
        run("createdb", name)
    try:
        yield names
    finally:
        for name in names:
            subprocess.run(["dropdb", "--if-exists", "--force", name], env=pg_env(), capture_output=True)


def rows(database: str, sql: str) -> list[tuple]:
    with psycopg.connect(url_for(database)) as conn:
        return conn.execute(sql).fetchall()


COMPARED = {
    "orders": "SELECT number, status, total_incl_tax, total_excl_tax, shipping_incl_tax, date_placed, guest_email, "
              "user_id, basket_id FROM order_order ORDER BY number",
    "lines": "SELECT o.number, l.partner_sku, l.title, l.quantity, l.line_price_incl_tax, l.status, l.partner_id "
             "FROM order_line l JOIN order_order o ON o.id = l.order_id ORDER BY o.number, l.id",
    "parts": "SELECT o.number, p.producer_id, p.status, p.shipping_fee FROM fulfilment_fulfilmentpart p "
             "JOIN order_order o ON o.id = p.order_id ORDER BY o.number, p.producer_id",
    "payments": "SELECT o.number, p.method, p.status, p.amount, p.amount_captured, p.amount_refunded, p.reference, "
                "p.paid_at, p.expires_at FROM payments_payment p JOIN order_order o ON o.id = p.order_id "
                "ORDER BY o.number",
    "ledger": "SELECT id, channel, kind, occurred_at, booked_on, product_id, producer_id, quantity, amount, "
              "order_line_id, showroom_id, live_session_id, reverses_id FROM reports_sale ORDER BY id",
    "products": "SELECT upc, title, is_public, producer_id FROM catalogue_product ORDER BY upc",
    "stock": "SELECT p.upc, s.price, s.num_in_stock, s.num_allocated FROM partner_stockrecord s "
             "JOIN catalogue_product p ON p.id = s.product_id ORDER BY p.upc",
    "certificates": "SELECT p.upc, c.decision_number, c.stars, c.issued_on, c.expires_on, c.revoked_on "
                    "FROM catalogue_certificate c JOIN catalogue_product p ON p.id = c.product_id "
                    "ORDER BY p.upc, c.issued_on, c.id",
    "users": "SELECT email, password, is_staff, is_superuser, is_active FROM users_user ORDER BY email",
    "images": "SELECT original FROM catalogue_productimage ORDER BY original",
}


def table_counts(database: str) -> dict[str, int]:
    tables = [t for (t,) in rows(database, "SELECT tablename FROM pg_tables WHERE schemaname = 'public'")]
    with psycopg.connect(url_for(database)) as conn:
        return {t: conn.execute(f'SELECT count(*) FROM "{t}"').fetchone()[0] for t in sorted(tables)}


def sequences(database: str) -> list[tuple]:
    return rows(database, "SELECT sequencename, last_value FROM pg_sequences WHERE schemaname = 'public' "
                          "ORDER BY sequencename")


def digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


PAY_THE_TRANSFER = """
from shop.payments.models import Payment
from shop.payments.services import payment_mark_paid
payment = Payment.objects.get(order__delivery__checkout_token="demo-order-vietqr")
print("payment:", payment_mark_paid(payment=payment, amount=payment.amount, note="backup test"))
"""


def test_a_dump_of_demo_data_restores_to_the_same_orders(databases, tmp_path):
    source, restored = databases
    server = rows(source, "SHOW server_version")[0][0]
    client = run("pg_dump", "--version")
    assert major(client) >= major(server), f"pg_dump ({client.strip()}) must be at least the server's version {server}"

    media = tmp_path / "media"
    manage(source, media, "migrate", "--noinput", "-v0")
    manage(source, media, "load_demo_data")
    assert "payment: paid" in manage(source, media, "shell", "-c", PAY_THE_TRANSFER)

    # ---- the backup (README: Backups)
    dump = tmp_path / "ocop.dump"
    run("pg_dump", "--format=custom", f"--file={dump}", source)
    listing = run("pg_restore", "--list", str(dump))  # a readable archive, with the order data in it
    assert "TABLE DATA public order_order" in listing and "TABLE DATA public reports_sale" in listing
    media_backup = tmp_path / "media.tar.gz"
    run("tar", "-C", str(media), "-czf", str(media_backup), ".")

    # ---- the restore, into a new database and a new media folder
    run("pg_restore", "--clean", "--if-exists", "--no-owner", f"--dbname={restored}", str(dump))
    restored_media = tmp_path / "restored-media"
    restored_media.mkdir()
    run("tar", "-C", str(restored_media), "-xzf", str(media_backup))

    # ---- the same shop
    found = {name: rows(restored, sql) for name, sql in COMPARED.items()}
    for name, sql in COMPARED.items():
        assert found[name] == rows(source, sql), f"{name} differ after the restore"
    assert len(found["orders"]) >= 2 and {p[1] for p in found["payments"]} >= {"cod", "vietqr"}
    assert "paid" in {p[2] for p in found["payments"]}
    paid_lines = [r for r in found["ledger"] if r[9] is not None]  # ledger rows of order lines (the paid transfer)
    assert paid_lines, "the paid order's lines are in the ledger"
    assert len(found["products"]) >= 100 and len(found["certificates"]) >= 100
    assert {r[5] for r in found["certificates"]} != {None}, "revoked certificates too"
    assert table_counts(restored) == table_counts(source)
    assert sequences(restored) == sequences(source), "new rows continue the numbering (no clash on order ids)"

    for (name,) in found["images"]:
        assert digest(restored_media / name) == digest(media / name), name
    assert found["images"], "the demo products have photos"

    # the restored schema is the code's: nothing left to migrate (--check fails otherwise)
    assert "No planned migration operations." in manage(restored, restored_media, "migrate", "--check", "--plan")
