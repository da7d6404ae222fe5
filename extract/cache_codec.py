"""A Document as plain JSON data and back, checked field by field on the way in.

The cache must never run code or trust what it finds (a cache folder can be planted or damaged), so
entries are JSON, and decoding accepts only the exact shape of the model: every field present, no
unknown field, every value of its declared type. Anything else raises InvalidEntry and the caller
recomputes the document.
"""

from __future__ import annotations

import dataclasses
import types
import typing
from functools import cache

from .model import Document

_MAX_STRING = 10_000_000  # one field longer than this is not something our readers produce


class InvalidEntry(ValueError):
    """The data is not a Document this version could have written."""


def encode(doc: Document) -> dict:
    """The document as JSON-ready data (tuples become lists, enums their text)."""
    return dataclasses.asdict(doc)


def decode(data: object) -> Document:
    doc = _value(Document, data, "document")
    assert isinstance(doc, Document)
    return doc


@cache
def _hints(cls: type) -> tuple[tuple[str, object], ...]:
    hints = typing.get_type_hints(cls)
    return tuple((f.name, hints[f.name]) for f in dataclasses.fields(cls))


def _value(hint: object, data: object, where: str) -> object:
    """`data` checked against the type `hint` and rebuilt (dataclasses, tuples); InvalidEntry if it does not fit."""
    origin = typing.get_origin(hint)
    if dataclasses.is_dataclass(hint):
        return _dataclass(hint, data, where)  # type: ignore[arg-type]
    if origin in (typing.Union, types.UnionType):
        return _union(typing.get_args(hint), data, where)
    if origin is list:
        _expect(isinstance(data, list), where, "a list")
        (item,) = typing.get_args(hint)
        return [_value(item, x, f"{where}[{i}]") for i, x in enumerate(data)]  # type: ignore[union-attr]
    if origin is tuple:
        args = typing.get_args(hint)
        _expect(isinstance(data, list) and len(data) == len(args), where, f"{len(args)} values")
        return tuple(_value(a, x, where) for a, x in zip(args, data))  # type: ignore[arg-type]
    return _scalar(hint, data, where)


def _scalar(hint: object, data: object, where: str) -> object:
    if hint is type(None):
        _expect(data is None, where, "null")
    elif hint is bool:
        _expect(isinstance(data, bool), where, "true or false")
    elif hint is int:
        _expect(isinstance(data, int) and not isinstance(data, bool) and abs(data) < 1 << 53, where, "an integer")
    elif hint is float:
        ok = isinstance(data, (int, float)) and not isinstance(data, bool) and abs(data) < 1e300
        _expect(ok, where, "a number")
    elif hint is str:
        _expect(isinstance(data, str) and len(data) <= _MAX_STRING, where, "a string")
    else:
        raise InvalidEntry(f"{where}: no rule for {hint!r}")
    return data


def _union(options: tuple, data: object, where: str) -> object:
    for option in options:
        try:
            return _value(option, data, where)
        except InvalidEntry:
            continue
    raise InvalidEntry(f"{where}: none of {options!r}")


def _dataclass(cls: type, data: object, where: str) -> object:
    _expect(isinstance(data, dict), where, "an object")
    fields = _hints(cls)
    names = {name for name, _ in fields}
    _expect(set(data) == names, where, f"exactly the fields of {cls.__name__}")  # type: ignore[arg-type]
    values = {name: _value(hint, data[name], f"{where}.{name}") for name, hint in fields}  # type: ignore[index]
    return cls(**values)


def _expect(ok: bool, where: str, what: str) -> None:
    if not ok:
        raise InvalidEntry(f"{where}: expected {what}")
