"""Province and unit-row resolution (normalize/places.py)."""

from __future__ import annotations

import csv
from pathlib import Path

import pytest

from normalize.places import Place, resolve_province, resolve_unit

FIXTURES = Path(__file__).resolve().parent / "fixtures"


def _unit_rows() -> list[dict[str, str]]:
    with open(FIXTURES / "unit_names.csv", encoding="utf-8", newline="") as fh:
        return list(csv.DictReader(fh))


@pytest.mark.parametrize("row", _unit_rows(), ids=lambda r: f"{r['province']}:{r['unit_name_raw']}")
def test_every_printed_unit_resolves_to_its_official_unit(row):
    p = resolve_unit(row["unit_name_raw"], row["province"])
    assert p.resolved
    assert (p.name, p.level, p.code, p.province_code, p.province_2025) == (
        row["name"], row["level"], row["code"], row["province_code"], row["province_2025"],
    )
    assert p.province == row["province"]


@pytest.mark.parametrize(
    ("text", "short", "code", "province_2025"),
    [
        ("Ủy ban nhân dân tỉnh Lào Cai", "Lào Cai", "10", "Lào Cai"),
        ("TỈNH GIA LAI", "Gia Lai", "64", "Gia Lai"),
        ("Bình Thuận", "Bình Thuận", "60", "Lâm Đồng"),
        ("UBND TỈNH BÌNH THUẬN", "Bình Thuận", "60", "Lâm Đồng"),
        ("Kế hoạch thực hiện Dự án 8 trên địa bàn tỉnh Lào Cai giai đoạn I", "Lào Cai", "10", "Lào Cai"),
        ("Hà Giang", "Hà Giang", "02", "Tuyên Quang"),
        ("Thừa Thiên Huế", "Huế", "46", "Huế"),
        ("Đăk Lăk", "Đắk Lắk", "66", "Đắk Lắk"),
        ("TP HCM", "Hồ Chí Minh", "79", "Hồ Chí Minh"),
    ],
)
def test_resolve_province(text, short, code, province_2025):
    p = resolve_province(text)
    assert p.resolved and p.level == "province"
    assert (p.name, p.province, p.code, p.province_code, p.province_2025) == (
        short, short, code, code, province_2025,
    )


@pytest.mark.parametrize(
    "text",
    [
        "Đoàn Chủ tịch Trung ương Hội Liên hiệp Phụ nữ Việt Nam",
        "Ủy ban Dân tộc",
        "vì hòa bình và phát triển",  # a province name as an ordinary word inside a sentence
        "",
    ],
)
def test_central_bodies_and_plain_words_are_no_province(text):
    assert resolve_province(text) == Place()


@pytest.mark.parametrize("spelling", ["Đak Đoa", "Đăk Đoa", "Đắk Đoa", "Huyện Đắk Đoa", "huyện đak đoa"])
def test_dak_doa_spellings(spelling):
    p = resolve_unit(spelling, "Gia Lai")
    assert (p.name, p.code) == ("Huyện Đak Đoa", "626")


@pytest.mark.parametrize("spelling", ["Kbang", "KBang", "K'Bang", "K’Bang", "Huyện Kbang"])
def test_kbang_spellings(spelling):
    p = resolve_unit(spelling, "Gia Lai")
    assert (p.name, p.code) == ("Huyện KBang", "625")


@pytest.mark.parametrize(
    ("raw", "province", "name", "code"),
    [
        ("Huyện Mường \nKhương", "Lào Cai", "Huyện Mường Khương", "083"),
        ("Huyện  Bảo\n Thắng", "Lào Cai", "Huyện Bảo Thắng", "086"),
        ("TP. Pleiku", "Gia Lai", "Thành phố Pleiku", "622"),
        ("TP Lào Cai", "Lào Cai", "Thành phố Lào Cai", "080"),
        ("TX. An Khê", "Gia Lai", "Thị xã An Khê", "623"),
        ("Thị xã Ayun Pa", "Gia Lai", "Thị xã Ayun Pa", "624"),
        ("1. Huyện Bắc Hà", "Lào Cai", "Huyện Bắc Hà", "085"),
        ("Huyện Sa Pa", "Lào Cai", "Thị xã Sa Pa", "088"),  # printed type wrong, name unique: still Sa Pa
    ],
)
def test_prefixes_and_line_breaks(raw, province, name, code):
    p = resolve_unit(raw, province)
    assert (p.name, p.level, p.code) == (name, "district", code)


def test_printed_type_breaks_a_tie_between_same_named_units():
    assert resolve_unit("Huyện Long Mỹ", "Hậu Giang").code == "936"
    assert resolve_unit("Thị xã Long Mỹ", "Hậu Giang").code == "937"
    assert resolve_unit("TX Long Mỹ", "Hậu Giang").code == "937"
    assert not resolve_unit("Long Mỹ", "Hậu Giang").resolved  # two units, nothing to choose by


@pytest.mark.parametrize("raw", ["Cấp tỉnh", "Tỉnh", "Văn phòng tỉnh", "Hội LHPN tỉnh", "CẤP TỈNH"])
def test_province_level_rows(raw):
    p = resolve_unit(raw, "Bình Thuận")
    assert (p.name, p.level, p.code, p.province_2025, p.resolved) == (
        "Cấp tỉnh", "province", "60", "Lâm Đồng", True,
    )


def test_the_province_itself_as_a_row_is_the_province_level():
    p = resolve_unit("Tỉnh Gia Lai", "Gia Lai")
    assert (p.name, p.level, p.code) == ("Gia Lai", "province", "64")
    assert not resolve_unit("Tỉnh Lào Cai", "Gia Lai").resolved


@pytest.mark.parametrize(
    ("raw", "province"),
    [
        ("Huyện Hoàng Sa", "Gia Lai"),  # exists, but in Đà Nẵng
        ("Bảo Yên", "Gia Lai"),  # a Lào Cai district
        ("Huyện Mường Khương", "Bình Thuận"),
        ("Tánh Linh Bắc", "Bình Thuận"),  # the package's parser would answer Huyện Tánh Linh
        ("Chư", "Gia Lai"),  # a prefix of four districts
        ("Chỉ tiêu năm 2024", "Gia Lai"),
        ("", "Gia Lai"),
    ],
)
def test_unit_not_in_that_province_is_unresolved(raw, province):
    p = resolve_unit(raw, province)
    assert not p.resolved
    assert (p.name, p.level, p.code) == ("", "", "")
    assert p.province == province and p.province_code  # the province is still known


def test_the_same_names_resolve_in_their_own_province():
    assert resolve_unit("Huyện Hoàng Sa", "Đà Nẵng").code == "498"
    assert resolve_unit("Bảo Yên", "Lào Cai").code == "087"
    assert resolve_unit("Tánh Linh", "Bình Thuận").code == "599"


def test_communes_resolve_only_when_printed_as_communes():
    p = resolve_unit("Xã Tả Van", "Lào Cai")
    assert (p.name, p.level, p.code) == ("Xã Tả Van", "commune", "03040")
    assert not resolve_unit("Tả Van", "Lào Cai").resolved  # no type: looked up as a district


def test_without_a_province_a_row_can_only_be_a_province():
    assert resolve_unit("Gia Lai", "").code == "64"
    assert resolve_unit("Tỉnh Bình Thuận", "").province_2025 == "Lâm Đồng"
    assert resolve_unit("Đak Đoa", "") == Place()


def test_lookups_are_cached():
    resolve_unit("Đak Đoa", "Gia Lai")
    hits = resolve_unit.cache_info().hits
    resolve_unit("Đak Đoa", "Gia Lai")
    assert resolve_unit.cache_info().hits == hits + 1
