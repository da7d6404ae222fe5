"""How fast the reference stage is: `python bench/refs_bench.py [--pages 100]` prints the best time of
extract_references over a synthetic plan-like document (dense with citations) of that many pages.

Issue target: a 100-page document's worth of text in well under a second.
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from _report import use_repo_code  # noqa: E402  (bench/ is a folder of scripts)

use_repo_code()
from extract.model import Document, Line, Page  # noqa: E402
from extract.stages.refs import extract_references  # noqa: E402

_BENCH_PARAGRAPHS = [
    "Căn cứ Quyết định số 1719/QĐ-TTg ngày 14/10/2021 của Thủ tướng Chính phủ phê duyệt Chương trình "
    "mục tiêu quốc gia phát triển kinh tế - xã hội vùng đồng bào dân tộc thiểu số và miền núi giai đoạn "
    "2021 - 2030;",
    "Căn cứ Kế hoạch số 43/KH-ĐCT, ngày 03 tháng 6 năm 2022 và Hướng dẫn 04/HD-ĐCT, ngày 28 tháng 7 năm "
    "2022 của Đoàn Chủ tịch Hội Liên hiệp Phụ nữ Việt Nam về triển khai Dự án 8;",
    "- Các hoạt động của Dự án cần được triển khai bám sát nội dung, yêu cầu của Chương trình theo Quyết "
    "định số 1719/QĐ-TTg ngày 14/10/2021 của Thủ tướng Chính phủ và chỉ đạo, định hướng của Trung ương Hội.",
    "Nâng cao nhận thức, thay đổi định kiến, chăm lo đời sống vật chất, tinh thần, bảo vệ, chăm sóc phụ nữ "
    "và trẻ em, thực hiện mục tiêu bình đẳng giới và tập trung giải quyết có hiệu quả một số vấn đề cấp "
    "thiết.",
]


def synthetic_document(n_pages: int = 100, lines_per_page: int = 45) -> Document:
    """A document of `n_pages` pages of plan-like text (visual lines of ~80 characters), for benchmarks."""
    words = " ".join(_BENCH_PARAGRAPHS * 4).split()
    doc = Document(source_path="<synthetic>", source_file="synthetic.pdf", format="pdf")
    doc.meta.province = "Lào Cai"
    w = 0
    for p in range(1, n_pages + 1):
        page = Page(number=p)
        for b in range(lines_per_page):
            text = []
            while sum(len(t) + 1 for t in text) < 80:
                text.append(words[w % len(words)])
                w += 1
            page.lines.append(Line(" ".join(text), p, (0.0, b * 15.0, 500.0, b * 15.0 + 12), b // 5))
        doc.pages.append(page)
    return doc


def best_time(n_pages: int = 100, repeat: int = 3) -> float:
    """Best wall time in seconds of extract_references over a synthetic `n_pages` document."""
    best = float("inf")
    for _ in range(repeat):
        doc = synthetic_document(n_pages)
        t0 = time.perf_counter()
        extract_references(doc)
        best = min(best, time.perf_counter() - t0)
    return best


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--pages", type=int, default=100)
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args(argv)
    seconds = best_time(args.pages, args.repeat)
    doc = synthetic_document(args.pages)
    extract_references(doc)
    print(f"references stage: {args.pages} pages, {len(doc.refs)} references, best of {args.repeat}: "
          f"{seconds:.3f} s ({1000 * seconds / args.pages:.2f} ms/page)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
