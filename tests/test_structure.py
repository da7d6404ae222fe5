"""The code's shape, checked from its syntax tree: small modules and functions, imports only downward.

Layers, bottom up: extract.model / extract.kinds, then normalize/ (text and vocabularies, no document
model), then output/ (rows and files from the model), then the rest of extract/ (readers, stages,
pipeline, CLI). A function-level import is allowed only for a measured start-up cost, and says so
with a "start-up" comment on its line.
"""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
PACKAGES = ("extract", "normalize", "output")
MAX_MODULE_LINES = 500
MAX_FUNCTION_LINES = 60
LAZY_IMPORT_MARKER = "start-up"
ALLOWED_FROM_EXTRACT = {"extract.model", "extract.kinds"}


def _modules() -> list[Path]:
    return sorted(p for package in PACKAGES for p in (ROOT / package).rglob("*.py"))


def _imported_modules(tree: ast.AST, path: Path, root: Path = ROOT) -> list[tuple[str, int]]:
    """(absolute module name, line) of every import in the module, relative ones resolved."""
    package = path.relative_to(root).with_suffix("").parts[:-1]
    found = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            found += [(alias.name, node.lineno) for alias in node.names]
        elif isinstance(node, ast.ImportFrom):
            base = list(package[: len(package) - node.level + 1]) if node.level else []
            name = ".".join(base + ([node.module] if node.module else []))
            if name in PACKAGES:  # "from extract import pipeline": the names are modules
                found += [(f"{name}.{alias.name}", node.lineno) for alias in node.names]
            else:
                found.append((name, node.lineno))
    return found


def _function_imports(tree: ast.AST) -> list[ast.stmt]:
    out = []
    for func in ast.walk(tree):
        if isinstance(func, (ast.FunctionDef, ast.AsyncFunctionDef)):
            out += [n for n in ast.walk(func) if isinstance(n, (ast.Import, ast.ImportFrom))]
    return out


@pytest.fixture(scope="module")
def parsed() -> dict[Path, tuple[list[str], ast.AST]]:
    texts = {p: p.read_text(encoding="utf-8") for p in _modules()}
    return {p: (text.splitlines(), ast.parse(text)) for p, text in texts.items()}


def test_the_walk_sees_the_packages(parsed):
    names = {p.relative_to(ROOT).as_posix() for p in parsed}
    assert {"extract/pipeline.py", "normalize/text.py", "output/writers.py"} <= names


def test_no_module_is_too_long(parsed):
    long = {
        p.relative_to(ROOT).as_posix(): len(lines) for p, (lines, _) in parsed.items() if len(lines) > MAX_MODULE_LINES
    }
    assert not long


def test_no_function_is_too_long(parsed):
    long = [
        f"{p.relative_to(ROOT).as_posix()}:{node.lineno} {node.name} ({node.end_lineno - node.lineno + 1} lines)"
        for p, (_, tree) in parsed.items()
        for node in ast.walk(tree)
        if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef))
        and node.end_lineno - node.lineno + 1 > MAX_FUNCTION_LINES
    ]
    assert not long


@pytest.mark.parametrize("package", ["normalize", "output"])
def test_lower_layers_do_not_import_extract(parsed, package):
    upward = [
        f"{p.relative_to(ROOT).as_posix()}:{line} imports {name}"
        for p, (_, tree) in parsed.items()
        if p.relative_to(ROOT).parts[0] == package
        for name, line in _imported_modules(tree, p)
        if (name == "extract" or name.startswith("extract.")) and name not in ALLOWED_FROM_EXTRACT
    ]
    assert not upward


def test_the_model_imports_nothing_of_the_project(parsed):
    for name in ("model.py", "kinds.py", "settings.py"):
        path = ROOT / "extract" / name
        imported = [n for n, _ in _imported_modules(parsed[path][1], path)]
        assert not [n for n in imported if n.split(".")[0] in PACKAGES], name


def test_function_level_imports_are_marked_start_up(parsed):
    unmarked = [
        f"{p.relative_to(ROOT).as_posix()}:{node.lineno}"
        for p, (lines, tree) in parsed.items()
        for node in _function_imports(tree)
        if LAZY_IMPORT_MARKER not in lines[node.lineno - 1]
    ]
    assert not unmarked


def test_the_checks_can_fail(tmp_path):
    """The helpers do find what the tests forbid (so an empty result above means something)."""
    bad = tmp_path / "output" / "bad.py"
    bad.parent.mkdir()
    bad.write_text("from extract.pipeline import run\nfrom ..extract import cli\n\ndef f():\n    import json\n")
    tree = ast.parse(bad.read_text())
    imported = [name for name, _ in _imported_modules(tree, bad, tmp_path)]
    assert "extract.pipeline" in imported and "extract.cli" in imported
    assert len(_function_imports(tree)) == 1

