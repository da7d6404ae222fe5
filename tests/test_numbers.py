"""Number, date and period parsing (the forms printed in plans), with property tests."""

from datetime import date

import pytest
from hypothesis import given
from hypothesis import strategies as st

from normalize.numbers import is_dash, parse_date, parse_number, parse_period
from normalize.text import clean, fold, join_lines


@pytest.mark.parametrize(
    "text,value",
    [("1.200", 1200.0), ("12.500.000", 12500000.0), ("2,5", 2.5), ("15%", 15.0), ("01", 1.0), (" 7 ", 7.0),
     ("0", 0.0), ("2.5", 2.5), ("Tùy tình hình", None), ("", None), ("-", None), ("1.20", 1.2), ("1,200.5", None)],
)
def test_vietnamese_number_forms(text, value):
    assert parse_number(text) == value


def test_dashes_mean_none():
    assert all(is_dash(d) for d in ["-", "–", "—", " - "])
    assert not is_dash("") and not is_dash("0")


@given(st.integers(min_value=0, max_value=10**9))
def test_thousands_separated_integers_round_trip(n):
    printed = f"{n:,}".replace(",", ".")
    assert parse_number(printed) == float(n)


@given(st.integers(min_value=0, max_value=10**6), st.integers(min_value=1, max_value=99))
def test_decimal_comma_round_trips(whole, frac):
    assert parse_number(f"{whole},{frac:02d}") == pytest.approx(whole + frac / 100)


@given(st.text(max_size=40))
def test_arbitrary_text_never_raises(text):
    parse_number(text)
    parse_date(text)
    parse_period(text)
    fold(text)
    clean(text)


@given(st.dates(min_value=date(1945, 1, 1), max_value=date(2100, 12, 31)), st.booleans(), st.booleans())
def test_both_date_forms_round_trip(day, in_words, comma):
    printed = (f"ngày {day.day} tháng {day.month} năm {day.year}" if in_words
               else f"ngày {day.day:02d}/{day.month}/{day.year}")
    assert parse_date(("Quyết định số 1/QĐ-TTg, " if comma else "x ") + printed) == day.isoformat()


def test_impossible_date_is_empty_not_invented():
    assert parse_date("ngày 31/02/2022") == ""
    assert parse_date("không có ngày") == ""


@pytest.mark.parametrize(
    "text,period",
    [("giai đoạn 2021 - 2030, giai đoạn I từ năm 2021 đến năm 2025", (2021, 2025)),
     ("GIAI ĐOẠN I: 2021 - 2025", (2021, 2025)), ("Triển khai Dự án 8 năm 2024", (2024, 2024)),
     ("ngày 09/11/2022", None), ("Kế hoạch", None)],
)
def test_periods(text, period):
    assert parse_period(text) == period


def test_text_clean_up():
    assert clean("Hoà  bình QÐ quý Thuỷ\u00a0Khoẻ") == "Hòa bình QĐ quý Thủy Khỏe"
    assert fold("Đắk Đoa, Hoà") == "dak doa hoa"
    assert join_lines(["phát triển KT-", "XH vùng", "", "đồng bào"]) == "phát triển KT-XH vùng đồng bào"
