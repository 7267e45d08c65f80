import os
import shutil

import pytest
from django.core.management import call_command

# Playwright's sync API keeps an event loop running in the test thread; the ORM calls made by browser tests
# are still synchronous, so Django's async-safety guard must stand aside in tests.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

CHROMIUM = os.environ.get("CHROMIUM_PATH", "/usr/bin/chromium")
CHROMIUM_FLAGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]


def _is_postgres() -> bool:
    return os.environ.get("DATABASE_URL", "").startswith(("postgres://", "postgresql://"))


def pytest_collection_modifyitems(config, items):
    no_chromium = not shutil.which(CHROMIUM)
    for item in items:
        if "browser" in item.keywords and no_chromium:
            item.add_marker(pytest.mark.skip(reason=f"Chromium not found at {CHROMIUM} (apt-get install -y chromium)"))
        if "postgres" in item.keywords and not _is_postgres():
            item.add_marker(pytest.mark.skip(reason="needs PostgreSQL: set DATABASE_URL=postgres://..."))


@pytest.fixture(scope="session")
def django_db_setup(django_db_setup, django_db_blocker):
    """Reference data every test expects: administrative units and the OCOP taxonomy (idempotent)."""
    with django_db_blocker.unblock():
        call_command("seed_reference_data", verbosity=0)


@pytest.fixture(scope="session")
def browser_type_launch_args(browser_type_launch_args):
    """Debian's Chromium, never a downloaded browser."""
    return {**browser_type_launch_args, "executable_path": CHROMIUM, "args": CHROMIUM_FLAGS, "headless": True}


@pytest.fixture(autouse=True)
def _default_language():
    """A request to an /en/ page leaves English active in the test thread; every test starts and ends in the
    default language, so a reverse() or a rendered string never depends on which test ran before."""
    from django.conf import settings
    from django.utils import translation

    translation.activate(settings.LANGUAGE_CODE)
    yield
    translation.activate(settings.LANGUAGE_CODE)


@pytest.fixture(autouse=True)
def _fresh_cache():
    """Cached fragments (the group menu) must not outlive the database rows they point at between tests."""
    from django.core.cache import cache

    cache.clear()
    yield


@pytest.fixture
def uncached(settings):
    """Pages rendered every time: for tests that count what rendering a page costs (the page and fragment caches
    are on everywhere else; tests/functional/test_page_cache.py proves what they keep and when they let go)."""
    settings.OCOP_PAGE_CACHE_SECONDS = 0
    settings.OCOP_FRAGMENT_CACHE_SECONDS = 0
