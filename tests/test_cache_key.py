"""The result cache's key changes with whatever changes results, and only with that."""

from __future__ import annotations

from dataclasses import replace

from extract import cache
from extract.settings import OcrSettings, Settings


def test_the_key_names_the_tool_pymupdf_and_the_data_packages():
    names = [name for name, _ in cache.dependency_versions()]
    assert names == ["project8-extract", "pymupdf", "vietnamadminunits", "underthesea"]


def test_an_upgrade_of_a_library_changes_the_key(monkeypatch):
    before = cache.cache_salt(Settings())
    upgraded = tuple((name, version + ".1") for name, version in cache.dependency_versions())
    monkeypatch.setattr(cache, "dependency_versions", lambda: upgraded)
    assert cache.cache_salt(Settings()) != before


def test_result_settings_change_the_key_and_run_settings_do_not():
    base = Settings()
    assert cache.cache_salt(replace(base, ocr=OcrSettings(dpi=200))) != cache.cache_salt(base)
    assert cache.cache_salt(replace(base, max_pages=10)) != cache.cache_salt(base)
    assert cache.cache_salt(replace(base, workers=4, verbose=True, show_progress=True)) == cache.cache_salt(base)
