"""VietQR payloads: published vectors, build → parse, CRC and input checks (no database)."""

from decimal import Decimal

import pytest

from shop.payments.vietqr import crc16_ccitt, vietqr_parse, vietqr_payload, vietqr_svg

# The dynamic "IBFT to account" example of NAPAS's "Technical Specifications on NAPAS QR Switching,
# Part IV: QR code format" v1.5.2 (Sacombank BIN 970403, account 0011012345678, 180 000 dong, bill number
# NPS6869, purpose "thanh toan don hang"), as reproduced character for character in
# github.com/binhnguyenduc/vietqr-ts, tests/compliance/napas-dynamic-account.test.ts ("NAPAS reference example
# (2E2E CRC)", citing the spec's qr_format_v1.5.2.md line 981).
NAPAS_SPEC_EXAMPLE = (
    "00020101021238570010A00000072701270006970403011300110123456780208QRIBFTTA"
    "530370454061800005802VN62340107NPS68690819thanh toan don hang63042E2E"
)
# A second, independently produced payload: the README of github.com/subiz/vietqr (Go), generated for
# 120 000 dong to VietinBank (BIN 970415) account 0011001932418 with the text "ung ho lu lut".
SUBIZ_README_EXAMPLE = (
    "00020101021238570010A00000072701270006970415011300110019324180208QRIBFTTA"
    "530370454061200005802VN62170813ung ho lu lut6304C15C"
)

VALID = {"bank_bin": "970403", "account_number": "0011012345678", "amount": 180000, "reference": "OCOP100023"}


def test_crc_matches_the_catalogue_check_value():
    # CRC-16/CCITT-FALSE check value for "123456789" (reveng CRC catalogue, CRC-16/IBM-3740).
    assert crc16_ccitt("123456789") == "29B1"
    assert crc16_ccitt("") == "FFFF"


@pytest.mark.parametrize("payload", [NAPAS_SPEC_EXAMPLE, SUBIZ_README_EXAMPLE])
def test_crc_of_published_payloads(payload):
    assert crc16_ccitt(payload[:-4]) == payload[-4:]


def test_parse_the_napas_spec_example():
    assert vietqr_parse(NAPAS_SPEC_EXAMPLE) == {
        "bank_bin": "970403",
        "account_number": "0011012345678",
        "service": "QRIBFTTA",
        "amount": 180000,
        "currency": "704",
        "country": "VN",
        "reference": "thanh toan don hang",
    }


def test_parse_the_subiz_example():
    parsed = vietqr_parse(SUBIZ_README_EXAMPLE)
    assert (parsed["bank_bin"], parsed["account_number"], parsed["amount"], parsed["reference"]) == (
        "970415",
        "0011001932418",
        120000,
        "ung ho lu lut",
    )


def test_build_matches_the_napas_example_up_to_the_additional_data():
    """Same bank, account and amount: every byte before field 62 is the spec's."""
    payload = vietqr_payload(bank_bin="970403", account_number="0011012345678", amount=180000, reference="OCOP1")
    fixed = NAPAS_SPEC_EXAMPLE[: NAPAS_SPEC_EXAMPLE.index("5802VN") + len("5802VN")]
    assert payload.startswith(fixed)
    assert payload[len(fixed) :] == "62090805OCOP16304" + crc16_ccitt(fixed + "62090805OCOP16304")


def test_build_layout_field_by_field():
    payload = vietqr_payload(**VALID)
    assert payload == (
        "000201"
        "010212"
        "3857" "0010A000000727" "0127" "0006970403" "01130011012345678" "0208QRIBFTTA"
        "5303704"
        "5406180000"
        "5802VN"
        "6214" "0810OCOP100023"
        "6304" + crc16_ccitt(payload[:-4])
    )


@pytest.mark.parametrize(
    "fields",
    [
        VALID,
        {**VALID, "amount": 1},
        {**VALID, "amount": 9_999_999_999_999},  # 13 digits
        {**VALID, "account_number": "A" * 19, "reference": "x" * 25},
        {**VALID, "account_number": "1", "reference": "1"},
    ],
)
def test_round_trip(fields):
    parsed = vietqr_parse(vietqr_payload(**fields))
    assert {key: parsed[key] for key in fields} == fields
    assert (parsed["currency"], parsed["country"], parsed["service"]) == ("704", "VN", "QRIBFTTA")


def test_a_tampered_payload_fails_the_crc():
    tampered = NAPAS_SPEC_EXAMPLE.replace("5406180000", "5406980000")
    with pytest.raises(ValueError, match="CRC"):
        vietqr_parse(tampered)
    with pytest.raises(ValueError, match="CRC"):
        vietqr_parse(NAPAS_SPEC_EXAMPLE[:-4] + "2E2F")


def test_lowercase_crc_digits_are_accepted():
    assert vietqr_parse(SUBIZ_README_EXAMPLE[:-4] + "c15c")["amount"] == 120000


def _with_crc(body: str) -> str:
    return body + "6304" + crc16_ccitt(body + "6304")


@pytest.mark.parametrize(
    "payload",
    [
        "",
        "6304",
        NAPAS_SPEC_EXAMPLE[:-8],  # no CRC field
        _with_crc("000201010212385"),  # field 38 declares 5 characters, 1 follows
        _with_crc("0002010102123800"),  # zero-length value
        _with_crc("0002010X"),  # length is not digits
        _with_crc("000201000201"),  # field 00 twice
        _with_crc("000201" + "5303704"),  # no merchant account information
        _with_crc("000201" + "3814" + "0010A000000999"),  # not the NAPAS GUID
        _with_crc("000201" + "3814" + "0010A000000727"),  # no beneficiary
        _with_crc("000201" + "3820" + "0010A000000727" + "0102XY"),  # beneficiary is not TLV
        _with_crc("000201" + "3838" + "0010A000000727" + "0120" + "0006970403" + "0106123456" + "54031.5"),
    ],
)
def test_malformed_payloads_are_refused(payload):
    with pytest.raises(ValueError):
        vietqr_parse(payload)


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"bank_bin": "97040"}, "BIN must be exactly 6 digits"),
        ({"bank_bin": "9704031"}, "BIN must be exactly 6 digits"),
        ({"bank_bin": "97040A"}, "BIN must be exactly 6 digits"),
        ({"bank_bin": "９７０４０３"}, "BIN must be exactly 6 digits"),  # full-width digits
        ({"bank_bin": 970403}, "BIN must be exactly 6 digits"),
        ({"account_number": ""}, "Account number must be 1 to 19"),
        ({"account_number": "1" * 20}, "Account number must be 1 to 19"),
        ({"account_number": "0011-012345"}, "Account number must be 1 to 19"),
        ({"amount": 0}, "greater than zero"),
        ({"amount": -180000}, "greater than zero"),
        ({"amount": 10_000_000_000_000}, "at most 13 digits"),
        ({"amount": True}, "must be an int"),
        ({"amount": 180000.0}, "must be an int"),
        ({"amount": Decimal("180000")}, "must be an int"),
        ({"amount": "180000"}, "must be an int"),
        ({"reference": ""}, "Reference must be 1 to 25"),
        ({"reference": "x" * 26}, "Reference must be 1 to 25"),
        ({"reference": "OCOP 100023"}, "Reference must be 1 to 25"),
        ({"reference": "OCOP-100023"}, "Reference must be 1 to 25"),
        ({"reference": "Đơn100023"}, "Reference must be 1 to 25"),
    ],
)
def test_invalid_inputs_are_refused_with_a_clear_message(changes, message):
    with pytest.raises(ValueError, match=message):
        vietqr_payload(**{**VALID, **changes})


def test_svg_is_inline_and_about_240_pixels():
    svg = vietqr_svg(vietqr_payload(**VALID))
    assert svg.startswith("<svg ")
    assert "<?xml" not in svg
    assert svg.rstrip().endswith("</svg>")
    assert 'class="vietqr"' in svg
    width = int(svg.split('width="', 1)[1].split('"', 1)[0])
    assert 200 <= width <= 290
