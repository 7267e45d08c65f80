"""Compile the project's message catalogues with Babel, so a machine without GNU gettext (no msgfmt) can still
build the .mo files Django reads. Like compilemessages, it compiles every ``<lang>/LC_MESSAGES/<domain>.po``
under LOCALE_PATHS; fuzzy and untranslated entries are left out, as msgfmt does."""

from __future__ import annotations

import io
from pathlib import Path

from babel.messages.catalog import Catalog
from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po
from django.conf import settings
from django.core.management.base import BaseCommand, CommandError


def po_files() -> list[Path]:
    """Every catalogue under LOCALE_PATHS (``locale/vi/oscar_storefront.po`` sits outside LC_MESSAGES: it is a
    source merged into ``vi/LC_MESSAGES/django.po`` by ``make messages``, not a catalogue of its own)."""
    found: list[Path] = []
    for root in settings.LOCALE_PATHS:
        found.extend(sorted(Path(root).glob("*/LC_MESSAGES/*.po")))
    return found


def read_catalog(po_path: Path) -> Catalog:
    locale = po_path.parent.parent.name
    with po_path.open("rb") as handle:
        return read_po(handle, locale=locale, abort_invalid=True)


def _translated(message) -> bool:
    strings = message.string if isinstance(message.string, (tuple, list)) else (message.string,)
    return any(strings) and not message.fuzzy


def compiled(po_path: Path) -> bytes:
    """The .mo bytes for one .po file."""
    catalog = read_catalog(po_path)
    for message in list(catalog):
        if message.id and not _translated(message):
            catalog.delete(message.id, context=message.context)
    buffer = io.BytesIO()
    write_mo(buffer, catalog, use_fuzzy=False)
    return buffer.getvalue()


def _shown(path: Path) -> str:
    try:
        return str(path.relative_to(settings.BASE_DIR))
    except ValueError:
        return str(path)


class Command(BaseCommand):
    help = (
        "Compile every <lang>/LC_MESSAGES/*.po under LOCALE_PATHS into its .mo with Babel "
        "(no GNU gettext needed). --check only reports .mo files that are missing or out of date."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--check", action="store_true",
            help="Write nothing; exit with an error when a .mo is missing or differs from its compiled .po.",
        )

    def handle(self, *args, check=False, **options):
        paths = po_files()
        if not paths:
            raise CommandError("No .po files under LOCALE_PATHS.")
        stale = []
        for po_path in paths:
            try:
                data = compiled(po_path)
            except Exception as exc:  # a syntax error in a .po names the file
                raise CommandError(f"{po_path}: {exc}") from exc
            mo_path = po_path.with_suffix(".mo")
            shown = _shown(mo_path)
            current = mo_path.read_bytes() if mo_path.exists() else None
            if current == data:
                self.stdout.write(f"{shown}: up to date")
                continue
            if check:
                stale.append(mo_path)
                self.stdout.write(f"{shown}: out of date")
                continue
            mo_path.write_bytes(data)
            self.stdout.write(f"{shown}: compiled")
        if stale:
            raise CommandError(f"{len(stale)} .mo file(s) out of date: run `manage.py compile_translations`.")
