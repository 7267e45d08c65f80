"""Bank statement CSV → rows: encodings, delimiters, headers, Vietnamese amounts and dates, references."""

import datetime as dt

import pytest

from shop.payments.bank_statement import (
    REFERENCE_PREFIX,
    StatementError,
    StatementRow,
    reference_find,
    reference_for,
    statement_rows,
)
from shop.payments.vietqr import vietqr_parse, vietqr_payload
from shop.text import fold_vietnamese

DAY = dt.date(2025, 3, 5)


def csv_bytes(*lines: str, bom: bool = False) -> bytes:
    return ("\ufeff" if bom else "").encode() + "\n".join(lines).encode("utf-8")


def one_row(amount: str = "250000", date: str = "05/03/2025", description: str = "OCOP100023") -> StatementRow:
    (row,) = statement_rows(csv_bytes("Ngày;Số tiền;Nội dung", f"{date};{amount};{description}"))
    return row


def test_comma_file():
    data = csv_bytes(
        "Ngày giao dịch,Số tiền,Nội dung",
        '05/03/2025,"250,000","CK OCOP100023, NGUYEN VAN A"',
        "06/03/2025,120000,MBVCB.123.ocop-100024.CT tu 0011",
    )
    assert statement_rows(data) == [
        StatementRow(2, DAY, 250000, "CK OCOP100023, NGUYEN VAN A", "OCOP100023", ""),
        StatementRow(3, dt.date(2025, 3, 6), 120000, "MBVCB.123.ocop-100024.CT tu 0011", "OCOP100024", ""),
    ]


def test_semicolon_file_with_commas_in_the_text():
    data = csv_bytes("Ngày;Số tiền;Diễn giải", "05/03/2025;250.000;CK OCOP 100023, cam on")
    assert statement_rows(data) == [StatementRow(2, DAY, 250000, "CK OCOP 100023, cam on", "OCOP100023", "")]


def test_utf8_bom_is_ignored():
    data = csv_bytes("Ngày;Số tiền;Nội dung", "05/03/2025;250.000;OCOP100023", bom=True)
    assert statement_rows(data)[0].amount == 250000
    assert statement_rows(data[3:]) == statement_rows(data)


def test_blank_lines_are_skipped_and_line_numbers_count_them():
    data = csv_bytes(
        "",
        "Ngày,Số tiền,Nội dung",
        "05/03/2025,250000,OCOP100023",
        "",
        "  ",
        ",,",
        "05/03/2025,90000,\"OCOP100024",
        'hai dong"',
        "05/03/2025,1000,OCOP100025",
        "",
    )
    assert [(row.line, row.reference) for row in statement_rows(data)] == [
        (3, "OCOP100023"),
        (7, "OCOP100024"),
        (9, "OCOP100025"),
    ]


def test_windows_line_endings():
    data = b"Date,Amount,Description\r\n2025-03-05,250000,OCOP100023\r\n"
    assert statement_rows(data) == [StatementRow(2, DAY, 250000, "OCOP100023", "OCOP100023", "")]


@pytest.mark.parametrize(
    "header",
    [
        "Ngày;Số tiền;Nội dung",
        "  NGÀY GIAO DỊCH ;  SỐ TIỀN GHI CÓ ; MÔ TẢ ",
        "Ngay GD;So tien;Noi dung",
        "ngày  giao  dịch;ghi có;diễn giải",
        "Transaction Date;Credit;Description",
        "date;amount;content",
        "Ngày GD;Số tiền (VND);Nội dung",
        "STT;Nội dung;Số tiền ghi nợ;Số tiền ghi có;Ngày giao dịch",
    ],
)
def test_header_aliases(header):
    data = csv_bytes(header, ";".join(_sample_value(name) for name in header.split(";")))
    assert statement_rows(data) == [StatementRow(2, DAY, 250000, "OCOP100023", "OCOP100023", "")]


def _sample_value(column: str) -> str:
    """A value that suits the column, whichever alias names it."""
    folded = " ".join(fold_vietnamese(column).split())
    if "ghi no" in folded:
        return ""
    if folded.startswith(("ngay", "date", "transaction")):
        return "05/03/2025"
    if folded.startswith(("so tien", "ghi co", "credit", "amount")):
        return "250.000"
    return "1" if folded == "stt" else "OCOP100023"


def test_credit_column_wins_over_a_plain_amount_column():
    data = csv_bytes("Ngày;Số tiền;Ghi có;Nội dung", "05/03/2025;-1;250.000;OCOP100023")
    assert statement_rows(data)[0].amount == 250000


def test_missing_column_is_a_statement_error_in_vietnamese():
    with pytest.raises(StatementError, match="^Thiếu cột bắt buộc: số tiền$"):
        statement_rows(csv_bytes("Ngày;Nội dung", "05/03/2025;OCOP100023"))
    with pytest.raises(StatementError, match="^Thiếu cột bắt buộc: ngày, nội dung$"):
        statement_rows(csv_bytes("Số tiền", "250000"))
    assert issubclass(StatementError, ValueError)


@pytest.mark.parametrize("data", [b"", b"\n\n  \n", "\ufeff".encode(), b",,\n;;\n", b'"";""\n'])
def test_empty_file_is_a_statement_error(data):
    with pytest.raises(StatementError):
        statement_rows(data)


def test_non_utf8_file_is_a_statement_error():
    with pytest.raises(StatementError, match="UTF-8"):
        statement_rows("Ngày;So tien;Noi dung\n05/03/2025;250000;OCOP1".encode("cp1258"))  # "à" is byte E0 there


@pytest.mark.parametrize(
    ("amount", "dong"),
    [
        ("250.000", 250000),
        ("250,000", 250000),
        ("250000", 250000),
        ("250.000 ₫", 250000),
        ("250.000₫", 250000),
        ("250000 VND", 250000),
        ("250.000 VNĐ", 250000),
        ("250.000đ", 250000),
        ("250.000 đồng", 250000),
        ("+250.000", 250000),
        (" 250.000 ", 250000),
        ("1.250.000", 1250000),
        ("1,250,000", 1250000),
        ("250 000", 250000),
        ("250\xa0000\xa0₫", 250000),
        ("1.000", 1000),
        ("5", 5),
        ("250,000.00", 250000),  # a zero fraction is still whole dong
        ("250.000,00", 250000),
    ],
)
def test_vietnamese_amount_formats(amount, dong):
    row = one_row(amount=amount)
    assert (row.amount, row.error) == (dong, "")


@pytest.mark.parametrize("amount", ["250000.50", "250.000,50", "250,000.5", "1,5", "250000,01"])
def test_fractional_amounts_are_refused_not_rounded(amount):
    row = one_row(amount=amount)
    assert row.amount is None
    assert row.error == f"Số tiền có phần lẻ, không phải đồng chẵn: {amount}"


@pytest.mark.parametrize("amount", ["-250.000", "- 250000", "(250.000)", "0", "0 ₫", "-1"])
def test_debits_and_zero_are_not_incoming_transfers(amount):
    row = one_row(amount=amount)
    assert row.amount is None
    assert row.error == f"Không phải giao dịch nhận tiền: {amount.strip()}"


@pytest.mark.parametrize("amount", ["abc", "250.00.00", "12a", "1.2.3", "250.000.5", "USD 10"])
def test_unreadable_amounts(amount):
    row = one_row(amount=amount)
    assert row.amount is None
    assert row.error == f"Số tiền không hợp lệ: {amount}"


def test_empty_amount():
    assert one_row(amount="").error == "Thiếu số tiền"


@pytest.mark.parametrize(
    "date",
    [
        "05/03/2025",
        "5/3/2025",
        "05-03-2025",
        "2025-03-05",
        "05/03/2025 14:30:00",
        "2025-03-05 14:30",
        "2025-03-05T14:30:00",
    ],
)
def test_date_formats(date):
    row = one_row(date=date)
    assert (row.booked_on, row.error) == (DAY, "")


@pytest.mark.parametrize("date", ["31/02/2025", "2025/03/05", "05/03/25", "05.03.2025", "05/03-2025", "hôm qua"])
def test_bad_dates(date):
    row = one_row(date=date)
    assert row.booked_on is None
    assert row.error == f"Ngày không hợp lệ: {date}"


def test_row_errors_are_collected_and_do_not_stop_other_rows():
    data = csv_bytes(
        "Ngày;Số tiền;Nội dung",
        "31/02/2025;-5;OCOP100001",
        "05/03/2025;250.000;OCOP100002",
        "05/03/2025",  # a short row
    )
    bad, good, short = statement_rows(data)
    errors = "Ngày không hợp lệ: 31/02/2025; Không phải giao dịch nhận tiền: -5"
    assert bad == StatementRow(2, None, None, "OCOP100001", "OCOP100001", errors)
    assert good == StatementRow(3, DAY, 250000, "OCOP100002", "OCOP100002", "")
    assert short == StatementRow(4, DAY, None, "", None, "Thiếu số tiền")


def test_rows_are_frozen():
    with pytest.raises(AttributeError):
        one_row().amount = 1  # type: ignore[misc]


@pytest.mark.parametrize(
    ("text", "reference"),
    [
        ("OCOP100023", "OCOP100023"),
        ("ocop100023", "OCOP100023"),
        ("ocop 100023", "OCOP100023"),
        ("OCOP-100023", "OCOP100023"),
        ("OCOP - 100023", "OCOP100023"),
        ("Ocop_100023", "OCOP100023"),
        ("CK OCOP100023 NGUYEN VAN A", "OCOP100023"),
        ("NGUYEN VAN A chuyen tien OCOP100023", "OCOP100023"),
        ("MBVCB.3278.CKOCOP100023.CT tu 0011", "OCOP100023"),  # the bank glued the words
        ("OCOP100023NGUYEN VAN A", "OCOP100023"),
        ("OCOP100023 OCOP100024", "OCOP100023"),  # the first one
        ("thanh toan don OCOP 100023 - 250000d", "OCOP100023"),
        ("OCOP", None),
        ("OCOPX100023", None),
        ("thanh toan don hang", None),
        ("", None),
    ],
)
def test_reference_variants(text, reference):
    assert reference_find(text) == reference


def test_reference_for_an_order_number():
    assert REFERENCE_PREFIX == "OCOP"
    assert reference_for("100023") == "OCOP100023"
    assert reference_find(reference_for("100023")) == "OCOP100023"


@pytest.mark.parametrize("number", ["", "10002a", "OCOP100023", " 100023", "１００", "1" * 22, 100023])
def test_reference_for_refuses_what_is_not_a_digit_string(number):
    with pytest.raises(ValueError):
        reference_for(number)


def test_the_reference_fits_a_vietqr_code_and_comes_back_from_the_statement():
    reference = reference_for("1" * 21)
    payload = vietqr_payload(bank_bin="970403", account_number="0011012345678", amount=250000, reference=reference)
    assert vietqr_parse(payload)["reference"] == reference
    # What a bank typically prints after the payer's app sends the QR's text.
    (row,) = statement_rows(csv_bytes("Ngày;Số tiền;Nội dung", f"05/03/2025;250.000;IBFT {reference.lower()} FT25064"))
    assert row.reference == reference
