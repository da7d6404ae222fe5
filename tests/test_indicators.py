"""Indicator matching, units of measure and the normalize stage (normalize/indicators.py)."""

from __future__ import annotations

import csv
import shutil
from pathlib import Path

import pytest

from extract.model import Document, DocumentMeta, Target
from extract.stages.normalize import normalize_targets
from normalize.indicators import (
    CONTENT_AREAS,
    Registry,
    canonical_unit,
    list_indicators,
    match_indicator,
    unit_of_measure,
    unmapped_labels,
)
from normalize.vocab import DATA_DIR, expand_abbreviations

FIXTURES = Path(__file__).resolve().parent / "fixtures"


def _gold_labels() -> list[dict[str, str]]:
    with open(FIXTURES / "indicator_labels.csv", encoding="utf-8", newline="") as fh:
        return list(csv.DictReader(fh))


GOLD = _gold_labels()
NO_ALIASES = Registry(use_aliases=False)

LONG_SAVINGS = (
    "Củng cố, nâng chất lượng/hoặc thành lập mới tổ TKVVTB (tổ), trong đó thí điểm hỗ trợ giới thiệu 15% "
    "thành viên tổ TKVVTB tiếp cận với các định chế tài chính chính thức, hỗ trợ 15% thành viên của tổ "
    "TKVVTB hiện phát triển sinh kế"
)


@pytest.mark.parametrize("row", GOLD, ids=lambda r: r["header_raw"][:40])
def test_every_printed_label_maps_to_its_indicator(row):
    assert match_indicator(row["header_raw"]).indicator_id == row["indicator_id"]


@pytest.mark.parametrize("row", GOLD, ids=lambda r: r["header_raw"][:40])
def test_printed_labels_map_on_names_alone_without_the_alias_table(row):
    """The matcher itself must carry the printed labels, not only the alias list built from them."""
    m = NO_ALIASES.match(row["header_raw"])
    assert m.indicator_id == row["indicator_id"]
    assert m.match in {"exact", "fuzzy"}


@pytest.mark.parametrize("row", GOLD, ids=lambda r: r["header_raw"][:40])
def test_unit_of_measure_is_the_printed_unit(row):
    assert unit_of_measure(row["header_raw"]) == row["unit_raw"]


@pytest.mark.parametrize(
    ("label", "unit"),
    [
        ("Đối thoại chính sách cấp xã và cụm thôn bản (2.200 cuộc x 2 đợt) (cuộc)", "cuộc"),
        ("Củng cố, nâng chất lượng/hoặc thành lập mới địa chỉ tin cậy cộng đồng (ĐCTC))", "ĐCTC"),
        (LONG_SAVINGS, "tổ"),
        ("Tỷ lệ thành viên tổ TKVVTB được hỗ trợ phát triển sinh kế (%)", "%"),
        ("Tập huấn LGG (chương trình 2) cho cán bộ huyện, xã", ""),
        ("Tổ tiết kiệm vay vốn thôn bản (TKVVTB)", ""),
        ("", ""),
    ],
)
def test_unit_of_measure_edge_cases(label, unit):
    assert unit_of_measure(label) == unit


@pytest.mark.parametrize(
    ("label", "indicator_id"),
    [
        ("Tổ TT cộng đồng", "communication_groups"),
        ("Lớp tập huấn LGG CT2", "training_mainstreaming_p2"),
        ("Lớp tập huấn LGG CT3", "training_mainstreaming_p3"),
        ("Mô hình Địa chỉ tin cậy", "trusted_addresses"),
        ("Số cuộc đối thoại chính sách", "policy_dialogues"),
        ("Thành viên tổ TKVVTB tiếp cận định chế tài chính (%)", "savings_members_finance_pct"),
        ("Thí điểm tổ TKVVTB áp dụng GALS", "savings_loan_groups_gals"),
    ],
)
def test_differently_worded_labels(label, indicator_id):
    m = match_indicator(label)
    assert m.indicator_id == indicator_id
    assert m.match in {"alias", "fuzzy"}


def test_long_savings_label_is_the_plain_count_not_its_percentage_clause():
    for reg in (NO_ALIASES, Registry()):
        m = reg.match(LONG_SAVINGS)
        assert m.indicator_id == "savings_loan_groups"
    # The clause alone is about the percentage indicators: they are reachable, the head decides.
    clause = "15% thành viên tổ TKVVTB tiếp cận với các định chế tài chính chính thức (%)"
    assert match_indicator(clause).indicator_id == "savings_members_finance_pct"


def test_printed_unit_steers_between_a_count_and_a_percentage():
    assert match_indicator("Tổ TKVVTB phát triển sinh kế (%)").indicator_id == "savings_members_livelihood_pct"
    counted = match_indicator("Tổ TKVVTB tiếp cận định chế tài chính (tổ)")
    assert counted.indicator_id != "savings_members_finance_pct"  # groups are counted, not a share


def test_gals_and_plain_savings_groups_stay_apart():
    gals = NO_ALIASES.match("Thí điểm Tổ TKVVTB áp dụng phương pháp học tập và hành động giới (tổ)")
    plain = NO_ALIASES.match("Củng cố, nâng chất lượng/hoặc thành lập mới Tổ TKVVTB (tổ)")
    assert (gals.indicator_id, plain.indicator_id) == ("savings_loan_groups_gals", "savings_loan_groups")


def test_programme_number_separates_p2_from_p3():
    assert match_indicator("Tập huấn lồng ghép giới chương trình 3 (lớp)").indicator_id.endswith("_p3")
    assert match_indicator("Tập huấn lồng ghép giới chương trình 2 (lớp)").indicator_id.endswith("_p2")


def test_ambiguous_label_is_unmapped_with_both_candidates():
    m = match_indicator("Tập huấn LGG")
    assert m.indicator_id == "" and m.match == "" and m.reason == "ambiguous"
    assert {c for c, _ in m.candidates[:2]} == {"training_mainstreaming_p2", "training_mainstreaming_p3"}
    assert m.candidates[0][1] >= 75


def test_unknown_label_is_unmapped_below_threshold():
    m = match_indicator("Hỗ trợ xây dựng nhà văn hóa cộng đồng")
    assert (m.indicator_id, m.reason) == ("", "below_threshold")
    assert m.score < 75 and len(m.candidates) == 3


def test_label_without_an_indicator_word_is_never_scored():
    """Counting, place and action words ('Số', 'hộ nghèo', 'thôn, bản', 'Thành lập mới') name no indicator."""
    for label in ("Số hộ nghèo", "Số thôn, bản", "Thành lập mới", "(3)", "15%"):
        m = match_indicator(label)
        assert (m.indicator_id, m.reason) == ("", "no_indicator_word"), label


def test_group_path_decides_a_fragment_label_and_breaks_a_tie():
    fragment = "Thành lập mới (tổ)"
    assert match_indicator(fragment).indicator_id == ""
    assert match_indicator(fragment).reason == "no_indicator_word"
    assert match_indicator(fragment, "Tổ truyền thông cộng đồng").indicator_id == "communication_groups"
    assert match_indicator("Tập huấn LGG (lớp)", "Chương trình 2").indicator_id == "training_mainstreaming_p2"


def test_group_path_never_overrides_a_leaf_label_that_decided():
    m = match_indicator("Thành lập CLB thủ lĩnh của sự thay đổi (CLB)", "Tổ truyền thông cộng đồng")
    assert m.indicator_id == "change_leader_clubs"


def test_match_indicator_is_cached():
    first = match_indicator("Số cuộc đối thoại chính sách")
    hits = match_indicator.cache_info().hits
    assert match_indicator("Số cuộc đối thoại chính sách") is first
    assert match_indicator.cache_info().hits == hits + 1


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Tổ TT cộng đồng", "Tổ truyền thông cộng đồng"),
        ("TT", "TT"),  # a table's "thứ tự" column stays as it is
        ("Theo TT 15/2022", "Theo TT 15/2022"),
        ("quyền năng kinh tế của PN&TE", "quyền năng kinh tế của phụ nữ và trẻ em"),
        ("GS&ĐG về BĐG cho CB", "giám sát và đánh giá về bình đẳng giới cho cán bộ"),
        ("Tập huấn LGG CT2", "Tập huấn lồng ghép giới chương trình 2"),
        ("KINH TẾ", "KINH TẾ"),
    ],
)
def test_abbreviation_expansion(text, expected):
    assert expand_abbreviations(text) == expected


@pytest.mark.parametrize(
    ("unit_raw", "indicator_id", "expected"),
    [
        ("ĐCTC", "trusted_addresses", ("địa chỉ", True)),
        ("cuộc", "training_mainstreaming_p2", ("lớp", True)),
        ("lớp", "training_gender_monitoring", ("lớp", True)),
        ("tổ", "livelihood_groups_tech", ("tổ/nhóm", True)),
        ("%", "communication_groups", ("%", False)),
        ("tổ", "savings_members_finance_pct", ("tổ", False)),
        ("", "policy_dialogues", ("cuộc", True)),
        ("kg", "communication_groups", ("kg", False)),
        ("tổ", "", ("tổ", True)),
    ],
)
def test_canonical_unit(unit_raw, indicator_id, expected):
    assert canonical_unit(unit_raw, indicator_id) == expected


def test_list_indicators_keeps_the_starting_ids_and_shows_aliases():
    listed = {i["indicator_id"]: i for i in list_indicators()}
    assert {r["indicator_id"] for r in GOLD} <= set(listed)
    assert len(listed) == 14
    assert "Tổ truyền thông cộng đồng" in listed["communication_groups"]["aliases"]
    assert listed["trusted_addresses"]["unit"] == "địa chỉ"
    assert {i["content_area"] for i in listed.values()} == set(CONTENT_AREAS)
    assert all((i["measure"] == "rate") == (i["unit"] == "%") for i in listed.values())


def test_an_indicator_without_content_area_or_measure_is_a_data_error(tmp_path):
    data = _data_copy(tmp_path)
    _append(data / "indicators.csv", "poor_households,Hộ nghèo được hỗ trợ,hộ,Poor households supported,,")
    with pytest.raises(ValueError, match="content_area"):
        Registry(data)


def _data_copy(tmp_path: Path) -> Path:
    data = tmp_path / "data"
    shutil.copytree(DATA_DIR, data)
    return data


def _append(path: Path, line: str) -> None:
    with open(path, "a", encoding="utf-8") as fh:
        fh.write(line + "\n")


def test_new_alias_and_new_indicator_are_data_changes(tmp_path):
    data = _data_copy(tmp_path)
    assert Registry(data).match("Số hộ nghèo").indicator_id == ""
    _append(data / "indicators.csv",
            "poor_households,Hộ nghèo được hỗ trợ,hộ,Poor households supported,economic_empowerment,count")
    _append(data / "indicator_aliases.csv", "trusted_addresses,Mô hình ĐCTC")
    reg = Registry(data)
    assert (reg.match("Mô hình ĐCTC").indicator_id, reg.match("Mô hình ĐCTC").match) == (
        "trusted_addresses",
        "alias",
    )
    assert reg.match("Hộ nghèo được hỗ trợ (hộ)").match == "exact"
    assert reg.match("Số hộ nghèo").indicator_id == "poor_households"


def test_an_alias_claimed_by_two_indicators_is_a_data_error(tmp_path):
    data = _data_copy(tmp_path)
    _append(data / "indicator_aliases.csv", "policy_dialogues,Tổ truyền thông cộng đồng")
    with pytest.raises(ValueError, match="same key"):
        Registry(data)


def test_alias_for_an_unknown_id_is_a_data_error(tmp_path):
    data = _data_copy(tmp_path)
    _append(data / "indicator_aliases.csv", "no_such_indicator,Số hộ nghèo")
    with pytest.raises(ValueError, match="unknown ids"):
        Registry(data)


def _target(label: str, unit_name: str, value: float, *, total: bool = False, row: int = 1) -> Target:
    return Target(
        page=3, appendix="Phụ lục", table_index=0, row_index=row, col_index=2, unit_name_raw=unit_name,
        is_total=total, indicator_label_raw=label, value_raw=str(value), value=value,
    )


def _gia_lai_doc() -> Document:
    doc = Document(source_path="x.pdf", source_file="x.pdf", meta=DocumentMeta(province="Gia Lai"))
    comm = "Thành lập và duy trì tổ truyền thông cộng đồng (tổ)"
    doc.targets = [
        _target(comm, "Chỉ tiêu năm 2024", 68, total=True, row=0),
        _target(comm, "Đak Đoa", 8),
        _target(comm, "Huyện Hoàng Sa", 1, row=2),
        _target(comm, "Huyện Hoàng Sa", 1, row=2),
        _target("Số hộ nghèo", "Kbang", 3, row=3),
        _target("Số hộ nghèo", "Chư Sê", 4, row=4),
        _target("Tổ truyền thông cộng đồng (%)", "Chư Sê", 50, row=4),
        _target("Tập huấn LGG (chương trình 2) cho CB huyện, xã (cuộc)", "Chư Sê", 2, row=4),
    ]
    return doc


def test_normalize_targets_fills_indicator_unit_and_place():
    doc = normalize_targets(_gia_lai_doc())
    total, dak_doa = doc.targets[0], doc.targets[1]
    assert (total.indicator_id, total.indicator_match, total.unit_raw, total.unit) == (
        "communication_groups", "alias", "tổ", "tổ",
    )
    assert (total.unit_name, total.unit_level, total.unit_code, total.province_2025) == (
        "Gia Lai", "province", "64", "Gia Lai",
    )
    assert (dak_doa.unit_name, dak_doa.unit_level, dak_doa.unit_code, dak_doa.province_code) == (
        "Huyện Đak Đoa", "district", "626", "64",
    )
    assert doc.targets[2].unit_code == "" and doc.targets[2].unit_level == ""
    poor = doc.targets[4]
    assert (poor.indicator_id, poor.indicator_score, poor.unit_name) == ("", None, "Huyện KBang")
    training = doc.targets[7]
    assert (training.indicator_id, training.unit_raw, training.unit) == (
        "training_mainstreaming_p2", "cuộc", "lớp",
    )


def test_normalize_targets_warns_once_per_distinct_problem():
    doc = normalize_targets(_gia_lai_doc())
    kinds = [w.kind for w in doc.warnings]
    assert kinds.count("indicator_unmapped") == 1  # two cells, one label
    assert kinds.count("unit_unresolved") == 1  # two cells, one unit name
    assert kinds.count("unit_mismatch") == 1  # '%' where communication_groups counts tổ
    unmapped = next(w for w in doc.warnings if w.kind == "indicator_unmapped")
    assert "Số hộ nghèo" in unmapped.message and "no_indicator_word" in unmapped.message
    assert all(w.stage == "normalize" and w.page == 3 for w in doc.warnings)


def _write_csv(path: Path, rows: list[dict[str, object]]) -> None:
    with open(path, "w", encoding="utf-8", newline="") as fh:
        writer = csv.DictWriter(fh, fieldnames=list(rows[0]))
        writer.writeheader()
        writer.writerows(rows)


def test_unmapped_labels_from_warnings_most_frequent_first(tmp_path):
    rows = []
    for n, labels in enumerate([["Số hộ nghèo", "Tập huấn LGG"], ["Số hộ nghèo"]]):
        doc = Document(source_path=f"{n}.pdf", source_file=f"{n}.pdf", meta=DocumentMeta(province="Gia Lai"))
        doc.targets = [_target(label, "Chư Sê", 1) for label in labels]
        for w in normalize_targets(doc).warnings:
            rows.append({"doc_id": n, "stage": w.stage, "kind": w.kind, "message": w.message, "page": w.page})
    rows.append({"doc_id": 9, "stage": "tables", "kind": "total_mismatch", "message": "x", "page": 1})
    _write_csv(tmp_path / "warnings.csv", rows)
    assert unmapped_labels(tmp_path) == [("Số hộ nghèo", 2), ("Tập huấn LGG", 1)]


def test_unmapped_labels_from_targets_when_no_warnings(tmp_path):
    _write_csv(
        tmp_path / "targets.csv",
        [
            {"indicator_label_raw": "Tập huấn LGG", "indicator_id": ""},
            {"indicator_label_raw": "Số hộ nghèo", "indicator_id": ""},
            {"indicator_label_raw": "Số hộ nghèo", "indicator_id": ""},
            {"indicator_label_raw": "Tổ TT cộng đồng", "indicator_id": "communication_groups"},
        ],
    )
    assert unmapped_labels(tmp_path) == [("Số hộ nghèo", 2), ("Tập huấn LGG", 1)]
    assert unmapped_labels(tmp_path / "missing") == []


@pytest.mark.parametrize(
    ("label", "indicator_id"),
    [
        ("%", ""),
        ("15", ""),
        ("(3)", ""),
        ("Tổ TKVV (tổ)", "savings_loan_groups"),
        ("Tố TKVV (tố)", "savings_loan_groups"),  # OCR's tố folds like tổ
        ("Nhóm truyền thông tiên phong thay đổi", "communication_groups"),
        ("Nhà tạm lánh/Địa chỉ tin cậy", "trusted_addresses"),
        ("Tổ/nhóm sinh kế ứng dụng CN 4.0", "livelihood_groups_tech"),
    ],
)
def test_issue_12_examples(label, indicator_id):
    assert match_indicator(label).indicator_id == indicator_id


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Tố TKVV", "Tố tiết kiệm vay vốn"),
        ("Thành lập mới DCTC", "Thành lập mới địa chỉ tin cậy cộng đồng"),  # Đ lost by OCR
        ("KINH TẾ", "KINH TẾ"),  # two-letter abbreviations only exactly: 'TẾ' is not 'TE'
        ("Đối thoại CS", "Đối thoại chính sách"),
        ("Theo CS", "Theo CS"),
    ],
)
def test_abbreviations_fold_ocr_marks_from_three_letters(text, expected):
    assert expand_abbreviations(text) == expected
