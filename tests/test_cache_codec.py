"""The JSON cache codec keeps every field of the model: a Document with every field (of every nested
dataclass) set away from its default comes back equal, through JSON text and through the cache itself.

The document is built from the model's own type hints, so a field added later is covered without
touching this test; a type the codec has no rule for fails here rather than in a user's run.
"""

from __future__ import annotations

import dataclasses
import json
import types
import typing

from extract import model
from extract.cache import DocumentCache
from extract.cache_codec import decode, encode
from extract.settings import Settings


def _filled(hint: object, name: str, seed: int) -> object:
    """A value of type `hint` that no field of the model has as its default."""
    origin = typing.get_origin(hint)
    if dataclasses.is_dataclass(hint):
        return _instance(hint, seed)  # type: ignore[arg-type]
    if origin in (typing.Union, types.UnionType):
        return _filled(next(a for a in typing.get_args(hint) if a is not type(None)), name, seed)
    if origin is list:
        (item,) = typing.get_args(hint)
        return [_filled(item, name, seed), _filled(item, name, seed + 1)]
    if origin is tuple:
        return tuple(_filled(a, name, seed + i) for i, a in enumerate(typing.get_args(hint)))
    if hint is bool:
        return True
    if hint is int:
        return 40 + seed
    if hint is float:
        return 1.25 + seed
    if hint is str:
        return f"{name} ≠ {seed} “x”"
    raise AssertionError(f"no filler for {hint!r} ({name})")


def _instance(cls: type, seed: int = 0) -> object:
    hints = typing.get_type_hints(cls)
    values = {f.name: _filled(hints[f.name], f.name, seed + i) for i, f in enumerate(dataclasses.fields(cls))}
    return cls(**values)


def _full_document() -> model.Document:
    doc = _instance(model.Document)
    assert isinstance(doc, model.Document)
    return doc


def _unset_fields(obj: object, where: str = "doc") -> list[str]:
    """Fields still at their default anywhere in the tree (the test would not cover them)."""
    missing = []
    for f in dataclasses.fields(obj):  # type: ignore[arg-type]
        value = getattr(obj, f.name)
        default = f.default_factory() if f.default_factory is not dataclasses.MISSING else f.default
        if f.default is not dataclasses.MISSING or f.default_factory is not dataclasses.MISSING:
            if value == default:
                missing.append(f"{where}.{f.name}")
        items = value if isinstance(value, list) else [value]
        for item in items:
            if dataclasses.is_dataclass(item):
                missing += _unset_fields(item, f"{where}.{f.name}")
    return missing


def test_the_full_document_sets_every_field_including_the_newer_ones():
    doc = _full_document()
    assert _unset_fields(doc) == []
    target, warning, page = doc.targets[0], doc.warnings[0], doc.pages[0]
    assert target.box is not None and target.box.cell_x0 is not None and warning.box is not None
    assert warning.table_index is not None and warning.subject and warning.indicator_id
    assert doc.meta.number_source and doc.meta.date_source and doc.meta.programme and doc.meta.project
    assert doc.refs[0].within and doc.refs[0].ocr_corrected and page.display_matrix is not None
    assert target.value_source and target.corrected_by and target.value_extracted is not None


def test_every_field_survives_the_codec_through_json_text():
    doc = _full_document()
    text = json.dumps(encode(doc), ensure_ascii=False)
    assert decode(json.loads(text)) == doc


def test_every_field_survives_both_cache_layers(tmp_path):
    doc = _full_document()
    doc.sha256 = "ab" * 32  # warning kinds are filler text: none is transient, so both layers store it
    cache = DocumentCache(tmp_path, Settings())
    cache.put_reading(doc)
    cache.put(doc)
    assert cache.get_reading(doc.sha256) == doc
    again = cache.get(tmp_path / "any.pdf", doc.source_file, sha=doc.sha256)
    assert again == dataclasses.replace(doc, source_path=str(tmp_path / "any.pdf"), doc_id="")
