"""Helpers for browser tests: viewports, screenshots, logging in, and the check that a page stayed offline."""

from pathlib import Path

from playwright.sync_api import expect

from catalogue.demo import DEMO_PASSWORD

SHOTS = Path(__file__).parent.parent / "browser" / "screenshots"
DESKTOP = {"width": 1280, "height": 900}
PHONE = {"width": 390, "height": 844}


def watch(page, problems):
    page.on("response", lambda r: r.status >= 500 and problems["server_errors"].append(f"{r.status} {r.url}"))
    page.on("pageerror", lambda e: problems["js_errors"].append(f"{page.url}: {e}"))
    page.on("console", lambda m: _csp_blocked(m.text) and problems["js_errors"].append(f"{page.url}: {m.text}"))


def _csp_blocked(text: str) -> bool:
    """An enforced Content Security Policy refused something (report-only messages on the back offices pass)."""
    return "Content Security Policy" in text and "report-only" not in text.lower()


def assert_clean(offline):
    problems = offline.problems
    assert not problems["server_errors"], problems["server_errors"]
    assert not problems["js_errors"], problems["js_errors"]
    assert not problems["external"], f"fetched from the network: {problems['external']}"


def shot(page, name):
    SHOTS.mkdir(exist_ok=True)
    page.screenshot(path=str(SHOTS / f"{name}.png"), full_page=True)


def log_in(page, live_server, email):
    page.goto(live_server.url + "/shop/accounts/login/")
    page.locator("#id_login-username").fill(email)
    page.locator("#id_login-password").fill(DEMO_PASSWORD)
    page.locator("button[name=login_submit]").click()
    page.wait_for_load_state()
    expect(page.locator("#id_login-username")).to_have_count(0)  # the login form is gone: logged in
