"""The storefront's enforced Content-Security-Policy in Chromium: the home page, a product page, the basket and the
checkout show no violation (the browser's console and its securitypolicyviolation events), and Oscar's JavaScript
still runs from its files: the basket's AJAX "remove" and the checkout's commune list work, Oscar's hidden boxes stay
hidden. Screenshots go to tests/browser/screenshots/ (look at them)."""

import re

import pytest
from django.db.models import F
from oscar.core.loading import get_model
from playwright.sync_api import expect

from catalogue.models import AdministrativeUnit, Product

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
from tests.support.browser import DESKTOP, assert_clean, shot  # noqa: E402

Order = get_model("order", "Order")

# Every violation the page sees, from the moment it starts (an init script runs before the page's own and is not
# subject to its policy).
LISTEN = """
window.__cspViolations = [];
document.addEventListener("securitypolicyviolation", function (e) {
  window.__cspViolations.push(e.effectiveDirective + " blocked " + (e.blockedURI || "inline") + " at " + e.sourceFile
    + ":" + e.lineNumber);
});
"""


class Violations:
    """Console messages about the policy and securitypolicyviolation events, page by page."""

    def __init__(self, page):
        self.page = page
        self.console = []
        page.add_init_script(LISTEN)
        page.on("console", self._console)

    def _console(self, message):
        if "Content Security Policy" in message.text or "Content-Security-Policy" in message.text:
            self.console.append(f"{self.page.url}: {message.text}")

    def assert_none(self, label):
        events = self.page.evaluate("window.__cspViolations || []")
        assert not events, (label, events)
        assert not self.console, (label, self.console)


def buyable():
    return (
        Product.objects.certified()
        .filter(upc__startswith="DEMO-", ocop_product_set__group__is_shippable=True, is_age_restricted=False)
        .filter(stockrecords__num_in_stock__gte=F("stockrecords__num_allocated") + 5)
        .order_by("stockrecords__price", "pk")
    )


def visit(page, violations, url, label):
    response = page.goto(url)
    assert response.status == 200, (label, response.status)
    policy = response.headers["content-security-policy"]
    assert "script-src 'self'" in policy and "unsafe-inline" not in policy, label
    page.wait_for_load_state("load")
    violations.assert_none(label)


def test_home_product_basket_and_checkout_run_under_the_policy_with_oscars_scripts_working(
    page, live_server, demo, offline
):
    offline(page)
    violations = Violations(page)
    page.set_viewport_size(DESKTOP)
    first, second = buyable()[:2]

    visit(page, violations, live_server.url + "/", "home")
    visit(page, violations, live_server.url + "/shop/catalogue/", "listing")
    visit(page, violations, live_server.url + first.get_absolute_url(), "product")
    shot(page, "csp-01-product")

    # basket add through the page's own form, then a second product
    page.locator("#add_to_basket_form").get_by_role("button", name=re.compile("Thêm vào giỏ")).click()
    page.wait_for_load_state()
    expect(page.get_by_test_id("basket-count")).to_have_text("1")
    violations.assert_none("product after basket add")
    visit(page, violations, live_server.url + second.get_absolute_url(), "second product")
    page.locator("#add_to_basket_form").get_by_role("button", name=re.compile("Thêm vào giỏ")).click()
    page.wait_for_load_state()
    expect(page.get_by_test_id("basket-count")).to_have_text("2")

    # the basket: Oscar's checkboxes stay hidden (the one inline style allowed), and its script removes a line by AJAX
    visit(page, violations, live_server.url + "/shop/basket/", "basket")
    lines = page.locator("#basket_formset .basket-items")
    expect(lines).to_have_count(2)
    expect(page.locator("#id_form-0-DELETE")).to_be_hidden()
    shot(page, "csp-02-basket")
    with page.expect_response(lambda r: r.request.method == "POST" and r.url.endswith("/shop/basket/")) as posted:
        page.locator('#basket_formset a[data-behaviours~="remove"]').first.click()
    assert posted.value.headers["content-type"].startswith("application/json")  # Oscar's AJAX, not a page load
    expect(lines).to_have_count(1)
    expect(page.locator("#id_form-0-DELETE")).to_be_hidden()  # the re-rendered basket too
    violations.assert_none("basket after the AJAX remove")

    # the checkout: checkout.js fills the communes for the province and re-quotes; the order goes through
    visit(page, violations, live_server.url + "/shop/checkout/", "checkout")
    province = AdministrativeUnit.objects.get(level="province", name__contains="An Giang")
    communes = AdministrativeUnit.objects.filter(level="commune", parent=province).order_by("name")
    page.locator("#id_email").fill("lan.nguyen@example.vn")
    page.locator("#id_full_name").fill("Nguyễn Thị Lan")
    page.locator("#id_phone").fill("0912 345 678")
    page.locator("#id_province").select_option(label=province.name)
    expect(page.locator("#id_commune option")).to_have_count(communes.count() + 1)
    page.locator("#id_commune").select_option(label=communes.first().name)
    page.locator("#id_street").fill("12 Trần Hưng Đạo, khóm 3")
    if page.locator("#id_privacy_consent").count():  # the personal data notice's box
        page.locator("#id_privacy_consent").check()
    shot(page, "csp-03-checkout")
    violations.assert_none("checkout filled")
    page.locator("#place-order").click()
    page.wait_for_url(re.compile(r"/shop/checkout/thank-you/$"))
    expect(page.locator("h1")).to_have_text("Cảm ơn bạn đã đặt hàng")
    violations.assert_none("thank-you")
    assert Order.objects.exclude(delivery__checkout_token__startswith="demo-").count() == 1
    assert_clean(offline)


def test_more_storefront_pages_show_no_violation(page, live_server, demo, offline):
    """The other kinds of storefront page: search, live sessions, a story, a producer, showrooms, sign-in."""
    from cms.models import StoryPage
    from livestream.models import LiveSession

    offline(page)
    violations = Violations(page)
    page.set_viewport_size(DESKTOP)
    urls = ["/shop/search/?q=mam+ca", "/live/", "/shop/accounts/login/", "/en/", "/en/shop/basket/"]
    story = StoryPage.objects.live().first()
    if story is not None:
        urls.append(story.url)
    session = LiveSession.objects.order_by("pk").first()
    if session is not None:
        urls.append(f"/live/{session.slug}/")
    producer = buyable().first().producer
    urls.append(producer.get_absolute_url() if hasattr(producer, "get_absolute_url") else "/")
    for url in urls:
        visit(page, violations, live_server.url + url, url)
    assert_clean(offline)
