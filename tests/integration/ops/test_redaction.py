"""No personal data in log lines: the masking rules (shop/observability/redaction.py) and the logging filter and
formatters that apply them to every record (shop/observability/logging.py)."""

import io
import json
import logging

import pytest

from shop.observability.logging import (
    JsonFormatter,
    RedactPersonalDataFilter,
    RequestContextFilter,
    TextFormatter,
    request_context_reset,
    request_context_set,
)
from shop.observability.redaction import is_personal_key, redact, redact_text


@pytest.mark.parametrize(
    "phone",
    ["0912345678", "0912 345 678", "0912.345.678", "091-234-5678", "+84912345678", "+84 912 345 678",
     "(+84) 912.345.678", "84912345678", "0296 3861 234", "02963861234", "0387654321"],
)
def test_vietnamese_phone_numbers_are_masked_however_they_are_written(phone):
    masked = redact_text(f"Khách gọi {phone}, hẹn giao chiều nay")
    assert masked == "Khách gọi [phone], hẹn giao chiều nay"


@pytest.mark.parametrize(
    "text",
    ["đơn hàng 100023", "tài khoản 0011001234567", "1712345678901", "2025-01-15 10:00:00", "giá 250.000 ₫",
     "0.912345678", "ip 10.84.91.234", "mã 12345678", "sản phẩm 84"],
)
def test_numbers_that_are_not_phone_numbers_are_kept(text):
    assert redact_text(text) == text


def test_email_addresses_are_masked():
    assert redact_text("gửi tới an.nguyen+ocop@mail.angiang.gov.vn lúc 9 giờ") == "gửi tới [email] lúc 9 giờ"
    assert redact_text("OCOP <no-reply@localhost>") == "OCOP <no-reply@localhost>"  # no domain: not an address


def test_the_value_after_a_personal_key_is_masked_in_text():
    assert redact_text("email=an@x.vn status=sent") == "email=[redacted] status=sent"
    assert redact_text('shipping_address: "12 Tôn Đức Thắng" order=100023') == (
        'shipping_address: "[redacted]" order=100023')
    assert redact_text("template_name=mail.html hostname=db1") == "template_name=mail.html hostname=db1"
    # django-axes' client string, the way its lockout warnings print it
    assert redact_text('{username: "0912345678", ip_address: "203.0.113.9", path_info: "/shop/accounts/login/"}') == (
        '{username: "[redacted]", ip_address: "[redacted]", path_info: "/shop/accounts/login/"}')


def test_postgresql_constraint_details_lose_personal_values_only():
    assert redact_text("DETAIL:  Key (email)=(an@x.vn) already exists.") == (
        "DETAIL:  Key (email)=([redacted]) already exists.")
    assert redact_text("Key (first_name, last_name)=(Nguyễn, An) already exists.") == (
        "Key (first_name, last_name)=([redacted]) already exists.")
    assert redact_text("Key (product_id, partner_id)=(1, 2) already exists.") == (
        "Key (product_id, partner_id)=(1, 2) already exists.")


@pytest.mark.parametrize(
    "key", ["phone", "phone_number", "customerPhone", "email", "guest_email", "shipping_address", "line1",
            "first_name", "full_name", "name", "username", "dia_chi", "ho_ten", "so_dien_thoai", "ip_address", "sdt"],
)
def test_personal_keys(key):
    assert is_personal_key(key)


@pytest.mark.parametrize(
    "key", ["template_name", "queue_name", "product_name", "hostname", "request_id", "status", "path", "order_number",
            "duration_ms", "client", "method", ""],
)
def test_keys_that_are_not_personal(key):
    assert not is_personal_key(key)


def test_structures_lose_personal_values_at_any_depth():
    data = {"order": 100023, "guest": {"email": "an@x.vn", "phone": "0912345678", "note": "gọi 0987654321"},
            "lines": [{"product_name": "Mắm cá linh", "quantity": 2}], "name": None}
    assert redact(data) == {"order": 100023, "guest": {"email": "[redacted]", "phone": "[redacted]",
                                                       "note": "gọi [phone]"},
                            "lines": [{"product_name": "Mắm cá linh", "quantity": 2}], "name": None}


# ---------------------------------------------------------------- the filter and formatters on real records
@pytest.fixture
def emitted():
    """A logger whose lines go through the production handler chain (filters, then the JSON formatter)."""
    stream = io.StringIO()
    handler = logging.StreamHandler(stream)
    handler.addFilter(RedactPersonalDataFilter())
    handler.addFilter(RequestContextFilter())
    handler.setFormatter(JsonFormatter())
    logger = logging.getLogger("tests.ops.redaction")
    logger.addHandler(handler)
    logger.setLevel(logging.DEBUG)
    logger.propagate = False

    def lines():
        return [json.loads(line) for line in stream.getvalue().splitlines()]

    yield logger, lines
    logger.removeHandler(handler)
    logger.propagate = True


def test_a_json_line_has_time_level_logger_message_and_request_id(emitted):
    logger, lines = emitted
    token = request_context_set(request_id="5f2c0e0c9a4b4e0f", method="POST", path="/shop/checkout/")
    try:
        logger.warning("payment %s: %s received", "P-100023", 250000)
    finally:
        request_context_reset(token)
    logger.info("outside any request")
    inside, outside = lines()
    assert inside["time"].endswith("Z") and inside["time"][:2] == "20"
    assert inside["level"] == "WARNING" and inside["logger"] == "tests.ops.redaction"
    assert inside["message"] == "payment P-100023: 250000 received"
    assert inside["request_id"] == "5f2c0e0c9a4b4e0f"
    assert inside["method"] == "POST" and inside["path"] == "/shop/checkout/"
    assert outside["request_id"] is None and "method" not in outside


def test_positional_args_mapping_args_and_extras_are_masked(emitted):
    logger, lines = emitted
    logger.warning("reminder for %s failed", "an@x.vn")
    logger.warning("guest %(email)s, order %(order)s", {"email": "an@x.vn", "order": 100023})
    logger.warning("queued", extra={"customer_phone": "0912345678", "note": "gọi 0912345678", "order": 7,
                                    "recipient": {"name": "Nguyễn Văn An", "city": "Châu Đốc"}})
    logger.info({"event": "signup", "email": "an@x.vn"})
    positional, mapping, extras, as_dict = lines()
    assert positional["message"] == "reminder for [email] failed"
    assert mapping["message"] == "guest [redacted], order 100023"
    assert extras["customer_phone"] == "[redacted]" and extras["note"] == "gọi [phone]" and extras["order"] == 7
    assert extras["recipient"] == {"name": "[redacted]", "city": "Châu Đốc"}
    assert as_dict["email"] == "[redacted]" and as_dict["event"] == "signup"


def test_an_exception_text_is_masked_in_the_traceback(emitted):
    logger, lines = emitted
    try:
        raise ValueError("SMTP refused an@x.vn (0912345678)")
    except ValueError:
        logger.exception("could not send the reminder")
    (line,) = lines()
    assert "ValueError: SMTP refused [email] ([phone])" in line["exc_info"]
    assert "an@x.vn" not in json.dumps(line) and "0912345678" not in json.dumps(line)


def test_an_object_extra_is_written_as_its_masked_text(emitted):
    logger, lines = emitted

    class Shopper:
        def __str__(self):
            return "Shopper an@x.vn"

    logger.warning("seen", extra={"who": Shopper()})
    (line,) = lines()
    assert line["who"] == "Shopper [email]"


def test_the_text_formatter_prints_the_masked_traceback_and_the_exception_stays_on_the_record():
    try:
        raise ValueError("SMTP refused an@x.vn")
    except ValueError:
        import sys

        record = logging.LogRecord("x", logging.ERROR, __file__, 1, "failed", (), sys.exc_info())
    RedactPersonalDataFilter().filter(record)
    RequestContextFilter().filter(record)
    assert record.exc_info[0] is ValueError  # for whoever inspects records (the error tracker, tests)
    text = TextFormatter().format(record)
    assert "ValueError: SMTP refused [email]" in text and "an@x.vn" not in text
    assert "an@x.vn" not in JsonFormatter().format(record)


def test_a_record_going_through_two_handlers_is_masked_once_and_the_same():
    record = logging.LogRecord("x", logging.WARNING, __file__, 1, "call %s", ("0912345678",), None)
    redactor = RedactPersonalDataFilter()
    assert redactor.filter(record) and redactor.filter(record)
    assert record.getMessage() == "call [phone]"


def test_the_text_formatter_shows_the_request_id_or_a_dash():
    formatter = TextFormatter()
    record = logging.LogRecord("shop.payments", logging.WARNING, __file__, 1, "late", (), None)
    RequestContextFilter().filter(record)
    assert formatter.format(record).endswith("WARNING shop.payments [-] late")
    record.request_id = "abc123def456"
    assert formatter.format(record).endswith("WARNING shop.payments [abc123def456] late")
