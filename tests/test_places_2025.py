"""Places across the July 2025 reform (normalize/communes.py, normalize/places.py): a plan issued after
1 July 2025 allocates to the communes and wards of a merged province, with 2025 codes; older plans keep
their districts and pre-2025 codes."""

from __future__ import annotations

import csv
from pathlib import Path

import pytest

from extract import run
from normalize.communes import issued_after_reform
from normalize.places import province_at, resolve_unit, unresolved_message

_ROW = "<tr><td>{n}</td><td>{unit}</td><td>{a}</td><td>{b}</td></tr>"


def _plan_html(province: str, date: tuple[int, int, int], units: list[str]) -> str:
    """A small legal-portal-like plan: header block, title, one allocation appendix with unit rows."""
    day, month, year = date
    rows = "".join(_ROW.format(n=i, unit=u, a=i % 3, b=1) for i, u in enumerate(units, start=1))
    total = _ROW.format(n="", unit="Tổng cộng", a=sum(i % 3 for i in range(1, len(units) + 1)), b=len(units))
    return (
        '<html><head><meta charset="utf-8"></head><body>'
        f"<table><tr><td><p>ỦY BAN NHÂN DÂN</p><p>TỈNH {province.upper()}</p><p>Số: 12/KH-UBND</p></td>"
        "<td><p>CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM</p><p>Độc lập - Tự do - Hạnh phúc</p>"
        f"<p>{province}, ngày {day:02d} tháng {month:02d} năm {year}</p></td></tr></table>"
        f"<p>KẾ HOẠCH</p><p>Thực hiện Dự án 8 trên địa bàn tỉnh {province} giai đoạn 2026 - 2030</p>"
        "<p>Căn cứ Quyết định số 1719/QĐ-TTg ngày 14/10/2021 của Thủ tướng Chính phủ;</p>"
        "<p>Phụ lục</p><p>PHÂN BỔ CHỈ TIÊU THỰC HIỆN DỰ ÁN 8</p><table border='1'>"
        "<tr><td>TT</td><td>Đơn vị</td><td>Tổ truyền thông cộng đồng (tổ)</td>"
        "<td>Địa chỉ tin cậy cộng đồng (địa chỉ)</td></tr>"
        f"{total}{rows}</table><p>KT. CHỦ TỊCH</p><p>PHÓ CHỦ TỊCH</p><p>Nguyễn Văn An</p></body></html>"
    )


def _run(tmp_path: Path, html: str) -> tuple[dict[str, str], list[dict[str, str]], list[dict[str, str]]]:
    (tmp_path / "in").mkdir()
    (tmp_path / "in" / "plan.html").write_text(html, encoding="utf-8")
    run([str(tmp_path / "in")], str(tmp_path / "out"))

    def rows(name: str) -> list[dict[str, str]]:
        with open(tmp_path / "out" / f"{name}.csv", encoding="utf-8", newline="") as fh:
            return list(csv.DictReader(fh))

    return rows("documents")[0], rows("targets"), rows("warnings")


# Units of the new Lào Cai (code 15): two from the former Yên Bái, two from the former Lào Cai.
_LAO_CAI_2026 = {
    "Phường Yên Bái": ("Phường Yên Bái", "04252"),
    "Xã Văn Chấn": ("Xã Văn Chấn", "04672"),
    "Xã Bắc Hà": ("Xã Bắc Hà", "02839"),
    "Mường Khương": ("Xã Mường Khương", "02761"),  # no type printed
    "Cấp tỉnh": ("Cấp tỉnh", "15"),
}


def test_plan_of_2026_codes_every_unit_at_commune_level_of_the_merged_province(tmp_path):
    doc, targets, warnings = _run(tmp_path, _plan_html("Lào Cai", (15, 1, 2026), list(_LAO_CAI_2026)))
    assert (doc["province"], doc["province_2025"], doc["issue_date"]) == ("Lào Cai", "Lào Cai", "2026-01-15")
    assert len(targets) == 2 * (len(_LAO_CAI_2026) + 1) and not warnings
    for t in targets:
        assert (t["province_code"], t["province_2025"]) == ("15", "Lào Cai")
        if t["is_total"] == "true":
            assert (t["unit_level"], t["unit_code"]) == ("province", "15")
            continue
        name, code = _LAO_CAI_2026[t["unit_name_raw"]]
        assert (t["unit_name"], t["unit_code"]) == (name, code)
        assert t["unit_level"] == ("province" if name == "Cấp tỉnh" else "commune")


def test_commune_name_shared_by_two_units_stays_unresolved_naming_both(tmp_path):
    _, targets, warnings = _run(tmp_path, _plan_html("Đồng Tháp", (2, 3, 2026), ["Phường Mỹ Tho", "My Tho"]))
    by_unit = {t["unit_name_raw"]: t for t in targets}
    assert by_unit["Phường Mỹ Tho"]["unit_code"] == "28261"
    assert by_unit["My Tho"]["unit_code"] == "" and by_unit["My Tho"]["unit_level"] == ""
    unresolved = [w for w in warnings if w["kind"] == "unit_unresolved"]
    assert len(unresolved) == 1
    assert "Phường Mỹ Tho (28261)" in unresolved[0]["message"] and "Xã Mỹ Thọ (30076)" in unresolved[0]["message"]


def test_the_same_name_is_a_district_before_the_reform_and_a_commune_after():
    before = resolve_unit("Huyện Bắc Hà", "Lào Cai")
    assert (before.level, before.code, before.province_code, before.province_2025) == ("district", "085", "10",
                                                                                       "Lào Cai")
    after = resolve_unit("Bắc Hà", "Lào Cai", reformed=True)
    assert (after.level, after.code, after.province_code) == ("commune", "02839", "15")
    assert not resolve_unit("Huyện Bắc Hà", "Lào Cai", reformed=True).resolved  # districts are gone


def test_former_province_resolves_to_its_successor_after_the_reform():
    new = province_at("Ủy ban nhân dân tỉnh Yên Bái", reformed=True)
    assert (new.name, new.code, new.province_2025) == ("Lào Cai", "15", "Lào Cai")
    old = province_at("Ủy ban nhân dân tỉnh Yên Bái", reformed=False)
    assert (old.name, old.code, old.province_2025) == ("Yên Bái", "15", "Lào Cai")


@pytest.mark.parametrize(
    ("name", "resolved"),
    [
        ("Đặc khu Phú Quốc", True),
        ("Phú Quốc", True),
        ("Xã Phú Quốc", False),  # no commune of that type: not corrected to the special zone
    ],
)
def test_printed_type_is_respected(name, resolved):
    place = resolve_unit(name, "An Giang", reformed=True)
    assert place.resolved is resolved
    if not resolved:
        assert "Đặc khu Phú Quốc" in unresolved_message(name, "An Giang", place)


@pytest.mark.parametrize(
    ("issue_date", "period_start", "expected"),
    [
        ("2025-06-30", 2021, False),
        ("2025-07-01", 2021, True),
        ("2026-01-15", 2026, True),
        ("", 2026, True),  # no date read: a phase II period says it
        ("", 2021, False),
        ("", None, False),
    ],
)
def test_issued_after_reform(issue_date, period_start, expected):
    assert issued_after_reform(issue_date, period_start) is expected


def test_pre_2025_commune_shared_by_two_districts_names_both_with_their_district():
    place = resolve_unit("Xã Thanh Bình", "Lào Cai")
    assert not place.resolved and len(place.candidates) == 2
    assert all(c.startswith("Xã Thanh Bình, ") for c in place.candidates)
    message = unresolved_message("Xã Thanh Bình", "Lào Cai", place)
    assert "Huyện Mường Khương" in message and "Sa Pa" in message


def test_marks_tell_same_folded_communes_apart_and_their_absence_does_not():
    assert resolve_unit("Xã Nậm Chảy", "Lào Cai").code != resolve_unit("Xã Nậm Chày", "Lào Cai").code
    assert not resolve_unit("Xa Nam Chay", "Lào Cai").resolved
