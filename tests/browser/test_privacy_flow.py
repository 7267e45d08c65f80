"""Personal data in Chromium, as a shopper meets it, on a phone and at a desk: the footer's link to the notice;
sign-up refused without the notice's box and accepted with it; the account's "Dữ liệu cá nhân" tab handing over a
JSON file of the account's data; erasure (a wrong password refused, the right one leading to a page that says what
happens, the final button signing the shopper out for good). Screenshots go to tests/browser/screenshots/ (look at
them).

The storefront is served under an enforced Content-Security-Policy: a violation is a JavaScript error for
assert_clean. Every request that leaves the live server is aborted and recorded."""

import json
import re

import pytest
from django.contrib.auth import get_user_model
from playwright.sync_api import expect

from users.models import PrivacyConsent

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
from tests.support.browser import DESKTOP, PHONE, assert_clean, shot  # noqa: E402

User = get_user_model()
PASSWORD = "Mat-khau-9xq2!"
CONSENT_REFUSED = "Vui lòng đánh dấu ô đồng ý với Thông báo xử lý dữ liệu cá nhân để tạo tài khoản."
SIZES = {"phone": PHONE, "desktop": DESKTOP}


def no_sideways_scroll(page, viewport):
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= viewport["width"], f"{page.url} scrolls sideways: {width}px wide in a {viewport['width']}px window"


def box_beside_its_words(page, box):
    """The consent box sits right before its sentence, on the same line (not at the far side of the form)."""
    checkbox = box.bounding_box()
    words = page.evaluate(
        """(input) => {
             const label = input.closest("label") || document.querySelector(`label[for="${input.id}"]`);
             const range = document.createRange();
             range.selectNodeContents(label);
             const after = input.getBoundingClientRect().right - 1;
             const rects = [...range.getClientRects()].filter(r => r.width > 0 && r.left > after);
             const first = rects.sort((a, b) => a.top - b.top || a.left - b.left)[0];
             return first && {x: first.left, y: first.top, height: first.height};
           }""",
        box.element_handle(),
    )
    assert words, "the consent box has no words beside it"
    gap = words["x"] - (checkbox["x"] + checkbox["width"])
    assert 0 <= gap <= 24, f"the consent box is {gap}px from its sentence"
    middle = checkbox["y"] + checkbox["height"] / 2
    assert words["y"] - 4 <= middle <= words["y"] + words["height"] + 4, (checkbox, words)


def sign_in(page, live_server, email, password):
    page.goto(live_server.url + "/shop/accounts/login/")
    page.locator("#id_login-username").fill(email)
    page.locator("#id_login-password").fill(password)
    page.locator("button[name=login_submit]").click()
    page.wait_for_load_state()


@pytest.mark.parametrize("size", ["phone", "desktop"])
def test_notice_sign_up_download_and_erasure(page, live_server, demo, offline, size):
    viewport = SIZES[size]
    offline(page)
    page.set_viewport_size(viewport)
    email = f"mai.{size}@example.vn"

    # 1. The footer of any page leads to the notice.
    page.goto(live_server.url + "/")
    footer_link = page.get_by_test_id("footer-privacy")
    expect(footer_link).to_have_text("Thông báo xử lý dữ liệu cá nhân")
    footer_link.click()
    page.wait_for_url(re.compile(r"/privacy/$"))
    expect(page.locator("h1")).to_have_text("Thông báo xử lý dữ liệu cá nhân")
    notice = page.get_by_test_id("privacy-notice")
    expect(notice).to_contain_text("Nghị định 13/2023/NĐ-CP")
    expect(notice.get_by_role("heading", name=re.compile("Lưu bao lâu"))).to_be_visible()
    expect(notice.locator("table")).to_contain_text("10 năm")
    expect(notice.get_by_role("link", name="Dữ liệu cá nhân")).to_have_attribute("href", "/shop/accounts/privacy/")
    if size == "phone":
        no_sideways_scroll(page, viewport)
    shot(page, f"privacy-01-notice-{size}")

    # 2. Sign-up: refused without the box, with the reason beside it; accepted with it.
    page.goto(live_server.url + "/shop/accounts/register/")
    page.locator("#id_email").fill(email)
    page.locator("#id_password1").fill(PASSWORD)
    page.locator("#id_password2").fill(PASSWORD)
    consent = page.locator("#id_privacy_consent")
    expect(consent).not_to_be_checked()
    # The box is "required": Chromium refuses first and stays on the page...
    page.locator("button[name=registration_submit]").click()
    assert consent.evaluate("box => box.validity.valueMissing")
    expect(page.locator("#register_form .alert-danger")).to_have_count(0)  # nothing was sent
    # ...and a browser that does not check (or a crafted request) gets the server's refusal.
    page.locator("#register_form").evaluate("form => form.noValidate = true")
    page.locator("button[name=registration_submit]").click()
    page.wait_for_load_state()
    expect(page.locator("#register_form")).to_contain_text(CONSENT_REFUSED)
    assert not User.objects.filter(email=email).exists()
    consent = page.locator("#id_privacy_consent")
    expect(consent).to_be_visible()
    named = page.get_by_role("checkbox", name=re.compile("Tôi đã đọc và đồng ý với Thông báo xử lý dữ liệu cá nhân"))
    expect(named).to_have_count(1)  # the box is named by its sentence (a click on the words ticks it)
    box_beside_its_words(page, consent)
    if size == "phone":
        no_sideways_scroll(page, viewport)
    shot(page, f"privacy-02-sign-up-refused-{size}")

    page.locator("#id_password1").fill(PASSWORD)  # a refused form comes back without the passwords
    page.locator("#id_password2").fill(PASSWORD)
    consent.check()
    page.locator("button[name=registration_submit]").click()
    page.wait_for_load_state()
    expect(page.locator("#register_form")).to_have_count(0)
    user = User.objects.get(email=email)
    assert PrivacyConsent.objects.filter(user=user, purpose="account").count() == 1

    # 3. The account's "Dữ liệu cá nhân" tab: a JSON file of the account's data.
    page.goto(live_server.url + "/shop/accounts/profile/")
    page.get_by_test_id("account-privacy-tab").click()
    page.wait_for_url(re.compile(r"/shop/accounts/privacy/$"))
    expect(page.get_by_test_id("account-privacy-tab")).to_have_class(re.compile(r"\bactive\b"))
    expect(page.get_by_test_id("privacy-download")).to_be_visible()
    expect(page.get_by_test_id("erase-blockers")).to_have_count(0)  # a new account with no order: erasable
    if size == "phone":
        no_sideways_scroll(page, viewport)
    shot(page, f"privacy-03-account-data-{size}")

    with page.expect_download() as download_info:
        page.get_by_test_id("privacy-download").get_by_role("link", name="Tải dữ liệu (JSON)").click()
    download = download_info.value
    assert re.fullmatch(r"du-lieu-ca-nhan-\d{8}\.json", download.suggested_filename), download.suggested_filename
    with open(download.path(), encoding="utf-8") as file:
        data = json.load(file)
    assert data["account"]["email"] == email
    assert [c["purpose"] for c in data["consents"]] == ["account"]
    assert data["orders"] == []

    # 4. Erasure: a wrong password is refused on the same page; the right one leads to the confirm page.
    erase = page.get_by_test_id("privacy-erase")
    erase.get_by_label("Mật khẩu của bạn").fill("khong-phai-mat-khau")
    erase.get_by_role("button", name="Tiếp tục xoá tài khoản").click()
    page.wait_for_load_state()
    erase = page.get_by_test_id("privacy-erase")
    expect(erase).to_contain_text("Mật khẩu không đúng.")
    assert User.objects.filter(email=email).exists()
    shot(page, f"privacy-04-erase-wrong-password-{size}")

    erase.get_by_label("Mật khẩu của bạn").fill(PASSWORD)
    erase.get_by_role("button", name="Tiếp tục xoá tài khoản").click()
    page.wait_for_load_state()
    confirm = page.get_by_test_id("erase-confirm")
    expect(confirm).to_contain_text("Bạn sắp xoá vĩnh viễn tài khoản này.")
    expect(page.get_by_role("link", name="Không xoá nữa")).to_be_visible()
    assert User.objects.filter(email=email).exists()  # nothing happens before the final button
    if size == "phone":
        no_sideways_scroll(page, viewport)
    shot(page, f"privacy-05-erase-confirm-{size}")

    page.get_by_role("button", name="Xoá vĩnh viễn tài khoản của tôi").click()
    page.wait_for_url(re.compile(r"/privacy/erased/$"))
    expect(page.get_by_test_id("erased")).to_be_visible()
    expect(page.locator("h1")).to_have_text("Tài khoản của bạn đã được xoá")
    shot(page, f"privacy-06-erased-{size}")
    assert not User.objects.filter(email=email).exists()

    # Signed out: the account pages ask to sign in, and the old email and password no longer open them.
    page.goto(live_server.url + "/shop/accounts/privacy/")
    expect(page.locator("#id_login-username")).to_be_visible()
    sign_in(page, live_server, email, PASSWORD)
    expect(page.locator("#id_login-username")).to_be_visible()  # still the sign-in form
    expect(page.locator("#login_form .alert-danger").last).to_be_visible()  # the refusal, said on the form
    shot(page, f"privacy-07-old-password-refused-{size}")
    page.goto(live_server.url + "/shop/accounts/privacy/")
    expect(page.locator("#id_login-username")).to_be_visible()
    assert_clean(offline)
