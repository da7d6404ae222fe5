"""Legacy Vietnamese encodings (TCVN3 / VNI): tables, detection, decoding, round trips and the stage."""

from __future__ import annotations

import csv
import unicodedata
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from extract.model import Cell, Document, Line, Page, Table
from extract.readers import read_document
from extract.stages.encoding import fix_legacy_encoding
from normalize.legacy import (
    ENCODINGS,
    detect_encoding,
    font_encoding,
    from_unicode,
    is_capitals_font,
    looks_legacy,
    span_to_unicode,
    to_unicode,
)
from normalize.text import clean

from .conftest import SAMPLES

DATA = Path(__file__).resolve().parents[1] / "normalize" / "data" / "legacy_letters.csv"
LOWER = "aàảãáạăằẳẵắặâầẩẫấậeèẻẽéẹêềểễếệiìỉĩíịoòỏõóọôồổỗốộơờởỡớợuùủũúụưừửữứựyỳỷỹýỵđ"
VIET_LETTERS = LOWER + LOWER.upper()
TCVN3_OWN_CAPITALS = "ĂÂÊÔƠƯĐ"

# ------------------------------------------------------------------------------------------- the tables


def test_table_has_every_vietnamese_letter_once_and_bytes_are_distinct() -> None:
    with open(DATA, encoding="utf-8", newline="") as fh:
        rows = list(csv.DictReader(fh))
    letters = [r["letter"] for r in rows]
    assert sorted(letters) == sorted(ch for ch in VIET_LETTERS if not ch.isascii())
    assert all(unicodedata.is_normalized("NFC", ch) for ch in letters)
    lower_tcvn3 = [r["tcvn3"] for r in rows if r["tcvn3_font"] == ""]
    assert len(lower_tcvn3) == len(set(lower_tcvn3))  # one byte, one letter (in .VnTime)
    vni = [r["vni"] for r in rows]
    assert len(vni) == len(set(vni))


@pytest.mark.parametrize(
    ("unicode", "tcvn3", "vni"),
    [
        ("Kế hoạch", "KÕ ho¹ch", "Keá hoaïch"),
        ("Quảng Ninh", "Qu¶ng Ninh", "Quaûng Ninh"),
        ("tỉnh", "tØnh", "tænh"),
        ("đ", "®", "ñ"),
        ("Độc lập - Tự do - Hạnh phúc", "§éc lËp - Tù do - H¹nh phóc", "Ñoäc laäp - Töï do - Haïnh phuùc"),
        ("Thủ tướng Chính phủ", "Thñ t\u00adíng ChÝnh phñ", "Thuû töôùng Chính phuû"),
        ("Quyết định số", "QuyÕt ®Þnh sè", "Quyeát ñònh soá"),
        ("năm", "n¨m", "naêm"),
        ("bình đẳng giới", "b×nh ®¼ng giíi", "bình ñaúng giôùi"),
        ("Ủy ban", "ñy ban", "UÛy ban"),
        ("ỵ ỹ ỷ ỳ ý", "þ ü û ú ý", "î yõ yû yø yù"),
    ],
)
def test_known_words_both_ways(unicode: str, tcvn3: str, vni: str) -> None:
    assert from_unicode(unicode, "vni") == vni
    assert to_unicode(vni, "vni", after_clean=False) == unicode
    if unicode != "Ủy ban":  # .VnTime has no "Ủ": from_unicode writes the capitals-font byte
        assert from_unicode(unicode, "tcvn3") == tcvn3
        assert to_unicode(tcvn3, "tcvn3") == unicode


# ---------------------------------------------------------------------------------------- font names


@pytest.mark.parametrize(
    ("font", "encoding", "capitals"),
    [
        (".VnTime", "tcvn3", False),
        (".VnTimeH", "tcvn3", True),
        ("ABCDEF+.VnTimeH,Bold", "tcvn3", True),
        (".VnArial NarrowH", "tcvn3", True),
        (".VnArial Narrow", "tcvn3", False),
        (".VnTime,BoldItalic", "tcvn3", False),
        ("VNI-Times", "vni", False),
        ("BCDEFG+VNI-Helve-Bold", "vni", False),
        ("TimesNewRomanPSMT", "unicode", False),
        ("LiberationSerif-Bold", "unicode", False),
        ("Arial", "unicode", False),
    ],
)
def test_font_names(font: str, encoding: str, capitals: bool) -> None:
    assert font_encoding(font) == encoding
    assert is_capitals_font(font) is capitals


def test_span_decoding_by_font() -> None:
    assert span_to_unicode("CéNG HOµ", ".VnTimeH") == "CỘNG HOÀ"
    assert span_to_unicode("céng hoµ", ".VnTimeH,Bold") == "CỘNG HOÀ"  # capitals font, lowercase typing
    assert span_to_unicode("Céng hoµ", ".VnTime") == "Cộng hoà"
    assert span_to_unicode("Coäng hoøa", "VNI-Times") == "Cộng hòa"
    assert span_to_unicode("Cộng hòa", "Arial") == "Cộng hòa"


# ------------------------------------------------------------------------------------------ detection

TCVN3_TEXT = [
    "Céng hoµ x· héi chñ nghÜa ViÖt Nam",
    "KÕ ho¹ch triÓn khai Dù ¸n 8 trªn ®Þa bµn tØnh Qu¶ng Ninh",
    "C¨n cø QuyÕt ®Þnh sè 1719/Q§-TTg ngµy 14/10/2021 cña Thñ t-íng ChÝnh phñ",
]
VNI_TEXT = [
    "Coäng hoøa xaõ hoäi chuû nghóa Vieät Nam",
    "Keá hoaïch trieån khai Döï aùn 8 treân ñòa baøn tænh Quaûng Ninh",
    "Caên cöù Quyeát ñònh soá 1719/QÑ-TTg ngaøy 14/10/2021 cuûa Thuû töôùng Chính phuû",
]
UNICODE_TEXT = [
    "Cộng hòa xã hội chủ nghĩa Việt Nam",
    "Kế hoạch triển khai Dự án 8 trên địa bàn tỉnh Quảng Ninh",
    "Căn cứ Quyết định số 1719/QĐ-TTg ngày 14/10/2021 của Thủ tướng Chính phủ",
]
OTHER_LANGUAGES = {
    "english": ["The plan allocates 423 communication groups to the districts of Lào Cai province.",
                "Women's economic empowerment, trusted addresses and policy dialogues (2021-2025)."],
    "french": ["Le plan fixe les objectifs où les femmes des minorités ethniques cultivent le maïs sur l'île, "
               "avec un coût modéré pour chaque groupe et un garçon ou une fille par famille.",
               "Les enfants reçoivent une éducation de qualité, et la fête de Noël réunit les villages en août."],
    "german": ["Für die Mädchen und Frauen in den Bergregionen gibt es schöne Größen und Übungen.",
               "Die Straße führt über die Brücke; Äpfel, Öl und Süßigkeiten für alle Schüler."],
    "spanish": ["El año pasado, el niño y la señora viajaron a España; ¿qué pasó mañana?",
                "Mujeres indígenas: participación, educación y acción en la región andina."],
}


def test_detection_by_content() -> None:
    assert detect_encoding(TCVN3_TEXT, []) == "tcvn3"
    assert detect_encoding(VNI_TEXT, []) == "vni"
    assert detect_encoding(UNICODE_TEXT, []) == "unicode"
    assert detect_encoding([], []) == "unicode"
    assert detect_encoding(["KÕ"], []) == "unicode"  # too little to tell


def test_detection_by_font_name_wins() -> None:
    assert detect_encoding(UNICODE_TEXT, [".VnTime", "Arial"]) == "tcvn3"
    assert detect_encoding(["1", "2"], ["VNI-Times"]) == "vni"
    assert detect_encoding(TCVN3_TEXT, [".VnTime", "VNI-Times"]) == "tcvn3"  # both kinds: content decides


@pytest.mark.parametrize("language", sorted(OTHER_LANGUAGES))
def test_no_misfire_on_other_languages(language: str) -> None:
    assert detect_encoding(OTHER_LANGUAGES[language] * 5, ["Times-Roman"]) == "unicode"


@pytest.mark.parametrize("name", ["binh-thuan-3798-2022.pdf", "lao-cai-355-2022.html", "ubdt-hlhpn-16-2022.pdf"])
def test_no_misfire_on_unicode_samples(name: str) -> None:
    doc = read_document(str(SAMPLES / name), name)
    texts = [ln.text for ln in doc.lines] + [c.text for t in doc.tables for c in t.cells]
    assert detect_encoding(texts, doc.font_names) == "unicode"


def test_looks_legacy_per_line() -> None:
    assert looks_legacy("KÕ ho¹ch n¨m 2024", "tcvn3")
    assert looks_legacy("Keá hoaïch naêm 2024", "vni")
    assert not looks_legacy("Kế hoạch năm 2024", "tcvn3")
    assert not looks_legacy("Kế hoạch năm 2024", "vni")
    assert not looks_legacy("UBND tỉnh; KÕ", "tcvn3")  # a Unicode-only letter settles it
    assert not looks_legacy("KÕ ho¹ch", "unicode")


# ------------------------------------------------------------------------------------------- decoding


@pytest.mark.parametrize(
    ("legacy", "expected"),
    [
        ("CéNG HOµ X· HéI CHñ NGHÜA VIÖT NAM", "CỘNG HOÀ XÃ HỘI CHỦ NGHĨA VIỆT NAM"),
        ("KÕ HO¹CH", "KẾ HOẠCH"),
        ("§¥N VÞ", "ĐƠN VỊ"),
        ("ñY BAN NH¢N D¢N TØNH GIA LAI", "ỦY BAN NHÂN DÂN TỈNH GIA LAI"),
        ("TR-êNG TIÓU HäC", "TRƯỜNG TIỂU HỌC"),
        ("Sè: 1002/KH-UBND", "Số: 1002/KH-UBND"),
        ("Tæ TKVVTB cho Héi LHPN", "Tổ TKVVTB cho Hội LHPN"),
        ("Hµ Néi", "Hà Nội"),
        ("UBND Hµ", "UBND Hà"),
        ("ng-êi d©n, n-íc, Ch- P-h, L-u: VT, T- liÖu, nh-, -u tiªn, ch-a, h-ng", "người dân, nước, Chư Pưh, Lưu: VT, "
         "Tư liệu, như, ưu tiên, chưa, hưng"),
        ("kinh tÕ - x· héi 2021-2025, Q§-TTg, KH-UBND, KT-XH, e-mail", "kinh tế - xã hội 2021-2025, QĐ-TTg, KH-UBND, "
         "KT-XH, e-mail"),
    ],
)
def test_tcvn3_capitals_and_hyphens(legacy: str, expected: str) -> None:
    assert to_unicode(legacy, "tcvn3") == expected


def test_tcvn3_capitals_font_flag() -> None:
    assert to_unicode("Hµ Néi", "tcvn3", upper=True) == "HÀ NỘI"
    assert to_unicode("KÕ HO¹CH", "tcvn3", upper=False) == "Kế HOạCH"


def test_damage_from_clean_is_undone_where_possible() -> None:
    # clean() reads TCVN3 "Ð" (é) as the look-alike "Đ" and moves tones in "uý" and VNI "oá".
    assert to_unicode(clean("kÐm"), "tcvn3") == "kém"
    assert to_unicode(clean("Thuý"), "tcvn3") == "Thuý"
    assert to_unicode(clean("Quyeát ñònh soá 12"), "vni") == "Quyết định số 12"
    assert to_unicode(clean("SOÁ"), "vni") == "SỐ"
    assert to_unicode(clean("nghóa"), "vni") == "nghĩa"
    assert to_unicode(clean("moãi"), "vni") == "mỗi"


def test_unknown_encoding_raises() -> None:
    with pytest.raises(ValueError):
        to_unicode("x", "viqr")
    with pytest.raises(ValueError):
        from_unicode("x", "viqr")


# ---------------------------------------------------------------------------------------- round trips

_PUNCT = " .,;:()/%0123456789\"'“”"
viet_text = st.text(alphabet=st.sampled_from(VIET_LETTERS + "bcdghklmnpqrstvx" + _PUNCT), max_size=60)


@settings(max_examples=150, deadline=None)
@given(viet_text)
def test_vni_round_trip(text: str) -> None:
    assert to_unicode(from_unicode(text, "vni"), "vni", after_clean=False) == text


@settings(max_examples=300, deadline=None)
@given(st.text(alphabet=st.sampled_from(LOWER + "BCDGHKLMNPQRSTVX" + TCVN3_OWN_CAPITALS + _PUNCT), max_size=60))
def test_tcvn3_round_trip_in_vntime(text: str) -> None:
    """Everything .VnTime can write (lowercase letters and the capitals with a byte of their own)."""
    assert to_unicode(from_unicode(text, "tcvn3"), "tcvn3", upper=False, after_clean=False) == text


@settings(max_examples=300, deadline=None)
@given(st.text(alphabet=st.sampled_from(LOWER.upper() + _PUNCT), max_size=60))
def test_tcvn3_round_trip_in_vntimeh(text: str) -> None:
    """Capitals in the capitals font, typed in lowercase: the font says they are capitals."""
    legacy = from_unicode(text, "tcvn3", upper_font=True)
    assert to_unicode(legacy, "tcvn3", upper=True, after_clean=False) == text


@settings(max_examples=150, deadline=None)
@given(st.text(max_size=80), st.sampled_from(ENCODINGS), st.sampled_from([None, True, False]), st.booleans())
def test_arbitrary_text_never_raises(text: str, encoding: str, upper, after_clean: bool) -> None:
    out = to_unicode(text, encoding, upper=upper, after_clean=after_clean)
    assert isinstance(out, str) and unicodedata.is_normalized("NFC", out)
    assert detect_encoding([text, out], [text[:10]]) in ENCODINGS
    assert looks_legacy(text, encoding) in (True, False)
    assert isinstance(from_unicode(text, encoding if encoding != "unicode" else "vni"), str)


def _twin_bytes(text: str) -> str | None:
    """A Unicode line as a .VnTime/.VnTimeH PDF gives it (ư as "-"); None when a word needs a lone capital
    from the capitals font ("Áp"), which only the span's font can tell."""
    words = []
    for word in text.replace("Ủy", "Uỷ").split(" "):
        capitals = [ch for ch in word if ch.isupper() and from_unicode(ch, "tcvn3") == from_unicode(ch.lower(), "tcvn3")
                    and not ch.isascii()]
        if capitals and any(ch.islower() for ch in word):
            return None
        words.append(from_unicode(word, "tcvn3"))
    return " ".join(words).replace("\u00ad", "-")


@pytest.mark.parametrize("name", ["gia-lai-1002-2024.pdf", "lao-cai-355-2022.pdf", "tw-hoi-lhpn-96-2022.pdf"])
def test_real_lines_survive_tcvn3_and_vni(name: str) -> None:
    """Every line and cell of a real plan, encoded as a legacy PDF shows it, read back through clean()."""
    doc = read_document(str(SAMPLES / name), name)
    texts = [ln.text for ln in doc.lines] + [c.text for t in doc.tables for c in t.cells]
    checked = 0
    for text in texts:
        assert clean(to_unicode(clean(from_unicode(text, "vni")), "vni")) == text or "Đồ" in text
        legacy = _twin_bytes(text)
        if legacy is not None:
            assert clean(to_unicode(clean(legacy), "tcvn3")) == text
            checked += 1
    assert checked > 0.95 * len(texts)


# ------------------------------------------------------------------------------------------ the stage


def _doc(lines: list[str], cells: list[str] | None = None, fonts: list[str] | None = None) -> Document:
    doc = Document(source_path="x.pdf", source_file="x.pdf", format="pdf", font_names=fonts or [])
    doc.pages = [Page(number=1, lines=[Line(text=t, page=1, block=i) for i, t in enumerate(lines)])]
    if cells:
        doc.tables = [Table(cells=[Cell(row=i, col=0, text=t) for i, t in enumerate(cells)], n_rows=len(cells),
                            n_cols=1, caption="PHô LôC\nPH¢N Bæ CHØ TI£U")]
    return doc


def test_stage_converts_a_tcvn3_document() -> None:
    doc = fix_legacy_encoding(_doc(TCVN3_TEXT, ["§ak §oa", "Có", "68"]))
    assert [ln.text for ln in doc.lines] == [
        "Cộng hòa xã hội chủ nghĩa Việt Nam",
        "Kế hoạch triển khai Dự án 8 trên địa bàn tỉnh Quảng Ninh",
        "Căn cứ Quyết định số 1719/QĐ-TTg ngày 14/10/2021 của Thủ tướng Chính phủ",
    ]
    assert [c.text for c in doc.tables[0].cells] == ["Đak Đoa", "Cú", "68"]
    assert doc.tables[0].caption == "PHỤ LỤC\nPHÂN BỔ CHỈ TIÊU"
    assert doc.encoding == "tcvn3"
    [warning] = doc.warnings
    assert (warning.stage, warning.kind) == ("read", "legacy_encoding")
    assert "no legacy font name" in warning.message


def test_stage_converts_a_vni_document_named_by_its_font() -> None:
    doc = fix_legacy_encoding(_doc(VNI_TEXT[:1], fonts=["VNI-Times"]))
    assert doc.lines[0].text == "Cộng hòa xã hội chủ nghĩa Việt Nam" and doc.encoding == "vni"
    assert "VNI-Times" in doc.warnings[0].message


def test_stage_in_a_mixed_document_converts_only_legacy_lines() -> None:
    doc = fix_legacy_encoding(_doc(UNICODE_TEXT[:1] + TCVN3_TEXT + ["Trà Cú"], fonts=[".VnTime", "Arial"]))
    assert [ln.text for ln in doc.lines] == [
        "Cộng hòa xã hội chủ nghĩa Việt Nam",
        "Cộng hòa xã hội chủ nghĩa Việt Nam",
        "Kế hoạch triển khai Dự án 8 trên địa bàn tỉnh Quảng Ninh",
        "Căn cứ Quyết định số 1719/QĐ-TTg ngày 14/10/2021 của Thủ tướng Chính phủ",
        "Trà Cú",  # no byte that only TCVN3 has: left as it is
    ]
    assert "mixed document" in doc.warnings[0].message


def test_stage_leaves_unicode_documents_alone() -> None:
    doc = fix_legacy_encoding(_doc(UNICODE_TEXT, ["Đak Đoa"], fonts=["LiberationSerif"]))
    assert [ln.text for ln in doc.lines] == UNICODE_TEXT
    assert doc.encoding == "unicode" and not doc.warnings


def test_stage_only_records_text_a_reader_already_decoded() -> None:
    doc = _doc(UNICODE_TEXT, fonts=[".VnTime"])
    doc.encoding = "tcvn3"
    doc = fix_legacy_encoding(doc)
    assert [ln.text for ln in doc.lines] == UNICODE_TEXT
    assert [w.kind for w in doc.warnings] == ["legacy_encoding"]
