"""The body's target list against the allocation table's totals."""

from extract.model import Document, DocumentMeta, Line, Page, Target
from extract.stages.validate import body_target_statements, check_body_against_tables

BODY = [
    "III. CHỈ TIÊU, NỘI DUNG HOẠT ĐỘNG",
    "1. Chỉ tiêu chính giai đoạn I: 2021 - 2025",
    "- 400 Tổ truyền thông cộng đồng được thành lập và duy",
    "trì hoạt động.",
    "- Tối thiểu 140 Tổ tiết kiệm vay vốn thôn bản (TKVVTB) được củng cố; thí điểm hỗ trợ 15% thành",
    "viên Tổ TKVVTB tiếp cận với các định chế tài chính chính thức.",
    "- 24 lớp tập huấn lồng ghép giới (LGG) (chương trình 2) cho cán bộ cấp huyện, cấp xã.",
    "2. Nội dung hoạt động",
    "- 999 Tổ truyền thông cộng đồng (outside the target list: not checked)",
]


def _doc(totals: dict[str, float]) -> Document:
    lines = [Line(t, 3, None, i) for i, t in enumerate(BODY)]
    targets = [
        Target(page=11, appendix="Phụ lục 01", table_index=0, row_index=3, col_index=i, unit_name_raw="Tổng",
               is_total=True, indicator_label_raw=k, value_raw=str(v), value=v, indicator_id=k)
        for i, (k, v) in enumerate(totals.items())
    ]
    return Document("x.pdf", "x.pdf", format="pdf", pages=[Page(3, lines=lines)], targets=targets,
                    meta=DocumentMeta(province="Lào Cai"))


def test_statements_are_read_from_the_target_list_only():
    found = [(v, w[:20]) for v, w, _ in body_target_statements(_doc({}))]
    assert found == [(400.0, "Tổ truyền thông cộng"), (140.0, "Tổ tiết kiệm vay vốn"), (24.0, "lớp tập huấn lồng gh")]


def test_a_body_figure_that_differs_from_the_table_total_is_reported():
    doc = check_body_against_tables(_doc({"communication_groups": 423.0, "savings_loan_groups": 140.0,
                                          "training_mainstreaming_p2": 24.0}))
    assert [(w.kind, w.page) for w in doc.warnings] == [("body_table_mismatch", 3)]
    assert "400" in doc.warnings[0].message and "423" in doc.warnings[0].message
    assert doc.targets[0].value == 423.0  # reported, never corrected


def test_no_table_means_nothing_to_compare():
    assert check_body_against_tables(_doc({})).warnings == []
