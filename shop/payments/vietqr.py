"""VietQR (NAPAS 247, EMVCo merchant-presented) payloads for bank transfers to an account.

Every data object is ID (2 digits) + length (2 digits) + value. The layout we build:

    00 "01"                          payload format indicator
    01 "12"                          point of initiation: dynamic (the code carries an amount)
    38 merchant account information
       00 "A000000727"               NAPAS GUID
       01 beneficiary organisation
          00 BIN (6 digits)          acquirer / beneficiary bank
          01 account number
       02 "QRIBFTTA"                 service: inter-bank fund transfer to account
    53 "704"                         currency: VND
    54 amount                        whole dong
    58 "VN"                          country
    62 additional data
       08 reference                  purpose of transaction (the transfer text)
    63 CRC                           CRC-16/CCITT-FALSE over everything up to and including "6304"
"""

import binascii
import re

import segno

NAPAS_GUID = "A000000727"
SERVICE_TRANSFER_TO_ACCOUNT = "QRIBFTTA"
CURRENCY_VND = "704"
COUNTRY_VN = "VN"
POINT_OF_INITIATION_DYNAMIC = "12"

_BIN = re.compile(r"[0-9]{6}")
_ACCOUNT = re.compile(r"[A-Za-z0-9]{1,19}")
_REFERENCE = re.compile(r"[A-Za-z0-9]{1,25}")
_AMOUNT_MAX_DIGITS = 13
_CRC_TAG = "6304"
_SVG_TARGET_PX = 240


def crc16_ccitt(data: str) -> str:
    """CRC-16/CCITT-FALSE (poly 0x1021, init 0xFFFF) of the UTF-8 bytes, as 4 uppercase hex digits."""
    return f"{binascii.crc_hqx(data.encode('utf-8'), 0xFFFF):04X}"


def _field(tag: str, value: str) -> str:
    """One data object: ID + two-digit length + value."""
    if not 1 <= len(value) <= 99:
        raise ValueError(f"Field {tag} must hold 1 to 99 characters, got {len(value)}.")
    return f"{tag}{len(value):02d}{value}"


def _require(pattern: re.Pattern[str], value: object, message: str) -> str:
    if not isinstance(value, str) or not pattern.fullmatch(value):
        raise ValueError(f"{message}, got {value!r}.")
    return value


def _check_amount(amount: object) -> int:
    if isinstance(amount, bool) or not isinstance(amount, int):
        raise ValueError(f"Amount must be an int of whole dong, got {type(amount).__name__} {amount!r}.")
    if amount <= 0:
        raise ValueError(f"Amount must be greater than zero, got {amount}.")
    if len(str(amount)) > _AMOUNT_MAX_DIGITS:
        raise ValueError(f"Amount must have at most {_AMOUNT_MAX_DIGITS} digits, got {amount}.")
    return amount


def vietqr_payload(*, bank_bin: str, account_number: str, amount: int, reference: str) -> str:
    """The VietQR text for a transfer of `amount` dong to an account, with `reference` as the transfer text."""
    bank_bin = _require(_BIN, bank_bin, "Bank BIN must be exactly 6 digits")
    account_number = _require(_ACCOUNT, account_number, "Account number must be 1 to 19 letters or digits")
    amount = _check_amount(amount)
    reference = _require(_REFERENCE, reference, "Reference must be 1 to 25 letters or digits (A-Z, a-z, 0-9)")
    beneficiary = _field("00", bank_bin) + _field("01", account_number)
    merchant = _field("00", NAPAS_GUID) + _field("01", beneficiary) + _field("02", SERVICE_TRANSFER_TO_ACCOUNT)
    body = (
        _field("00", "01")
        + _field("01", POINT_OF_INITIATION_DYNAMIC)
        + _field("38", merchant)
        + _field("53", CURRENCY_VND)
        + _field("54", str(amount))
        + _field("58", COUNTRY_VN)
        + _field("62", _field("08", reference))
        + _CRC_TAG
    )
    return body + crc16_ccitt(body)


def _tlv(data: str, where: str) -> dict[str, str]:
    """Split a run of data objects into {ID: value}; ValueError if it is not well formed."""
    fields: dict[str, str] = {}
    pos = 0
    while pos < len(data):
        head = data[pos : pos + 4]
        if len(head) < 4 or not head.isascii() or not head.isdigit():
            raise ValueError(f"Malformed TLV in {where} at position {pos}: {data[pos:pos + 4]!r}.")
        tag, length = head[:2], int(head[2:])
        value = data[pos + 4 : pos + 4 + length]
        if length == 0 or len(value) < length:
            raise ValueError(f"Malformed TLV in {where}: field {tag} declares {length} characters.")
        if tag in fields:
            raise ValueError(f"Malformed TLV in {where}: field {tag} appears twice.")
        fields[tag] = value
        pos += 4 + length
    return fields


def _check_crc(payload: str) -> None:
    if len(payload) < 8 or payload[-8:-4] != _CRC_TAG:
        raise ValueError("Malformed payload: it does not end with the CRC field 63.")
    expected, found = crc16_ccitt(payload[:-4]), payload[-4:].upper()
    if expected != found:
        raise ValueError(f"CRC mismatch: payload says {payload[-4:]!r}, contents give {expected!r}.")


def vietqr_parse(payload: str) -> dict:
    """The transfer a VietQR text describes; ValueError on a bad CRC, malformed TLV or a non-VietQR code.

    Returns bank_bin, account_number, service, amount (int, or None for a static code without one),
    currency, country and reference (None when absent)."""
    if not isinstance(payload, str):
        raise ValueError(f"Payload must be a string, got {type(payload).__name__}.")
    _check_crc(payload)
    root = _tlv(payload, "the payload")
    if root.get("00") != "01":
        raise ValueError("Not an EMVCo payload: field 00 must be '01'.")
    if "38" not in root:
        raise ValueError("Not a VietQR payload: merchant account information (field 38) is missing.")
    merchant = _tlv(root["38"], "field 38")
    if merchant.get("00") != NAPAS_GUID:
        raise ValueError(f"Not a VietQR payload: field 38 GUID is {merchant.get('00')!r}, not {NAPAS_GUID!r}.")
    beneficiary = _tlv(merchant.get("01", ""), "field 38.01")
    if "00" not in beneficiary or "01" not in beneficiary:
        raise ValueError("Malformed payload: field 38.01 needs the bank BIN (00) and the account (01).")
    amount = root.get("54")
    if amount is not None and not (amount.isascii() and amount.isdigit()):
        raise ValueError(f"Malformed payload: amount (field 54) {amount!r} is not whole dong.")
    additional = _tlv(root.get("62", ""), "field 62")
    return {
        "bank_bin": beneficiary["00"],
        "account_number": beneficiary["01"],
        "service": merchant.get("02"),
        "amount": int(amount) if amount is not None else None,
        "currency": root.get("53"),
        "country": root.get("58"),
        "reference": additional.get("08"),
    }


def vietqr_svg(payload: str) -> str:
    """Inline SVG of the QR code (level M, 4-module quiet zone, about 240 px), no XML declaration."""
    qr = segno.make_qr(payload, error="m", boost_error=False)
    modules, _ = qr.symbol_size(scale=1, border=4)
    scale = max(2, round(_SVG_TARGET_PX / modules))
    return qr.svg_inline(scale=scale, border=4, svgclass="vietqr", lineclass=None)
