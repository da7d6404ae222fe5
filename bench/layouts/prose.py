"""The running text around the table: header block, title, "Căn cứ", the sentence naming the appendix,
the appendix caption. Shared by every producer so only the table layout differs between them."""

from __future__ import annotations

from dataclasses import dataclass

from .spec import Plan


@dataclass
class Prose:
    left: list[str]  # issuer block, top left
    right: list[str]  # national motto and place/date, top right
    body: list[str]  # title and paragraphs
    caption: list[str]  # above the appendix table


def prose(plan: Plan) -> Prose:
    p, n, y = plan.province, plan.number, plan.year
    left = ["ỦY BAN NHÂN DÂN", f"TỈNH {p.upper()}", f"Số: {n}/KH-UBND"]
    right = ["CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", "Độc lập - Tự do - Hạnh phúc", f"{p}, ngày 12 tháng 5 năm {y}"]
    body = [
        "KẾ HOẠCH",
        "Thực hiện Dự án 8 về bình đẳng giới và giải quyết những vấn đề cấp thiết đối với phụ nữ và trẻ em",
        "Căn cứ Quyết định số 1719/QĐ-TTg ngày 14/10/2021 của Thủ tướng Chính phủ phê duyệt Chương trình;",
        "Ủy ban nhân dân tỉnh ban hành Kế hoạch thực hiện Dự án 8 như sau:",
        "Phân bổ chỉ tiêu cho các đơn vị thực hiện (chi tiết tại Phụ lục 01 kèm theo).",
        "TM. ỦY BAN NHÂN DÂN",
        "CHỦ TỊCH",
        "Nguyễn Văn An",
    ]
    caption = [
        "PHỤ LỤC 01",
        "PHÂN BỔ CHỈ TIÊU THỰC HIỆN DỰ ÁN 8",
        f"(Kèm theo Kế hoạch số {n}/KH-UBND ngày 12/5/{y} của Ủy ban nhân dân tỉnh {p})",
    ]
    return Prose(left, right, [plan.text(t) for t in body], [plan.text(t) for t in caption])
