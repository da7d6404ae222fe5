#!/usr/bin/env bash
# Set up a fresh Debian machine: system packages (Tesseract for OCR, Chromium for the report's browser test,
# the DejaVu font for bench/layouts' PDFs), a virtualenv in .venv, the project and its test tools.
set -euo pipefail
cd "$(dirname "$0")/.."
PKGS=""
command -v tesseract >/dev/null 2>&1 || PKGS="$PKGS tesseract-ocr tesseract-ocr-vie"
command -v chromium >/dev/null 2>&1 || PKGS="$PKGS chromium"
[ -f /usr/share/fonts/truetype/dejavu/DejaVuSans.ttf ] || PKGS="$PKGS fonts-dejavu-core"
if command -v apt-get >/dev/null 2>&1 && [ -n "$PKGS" ]; then
  SUDO=""; [ "$(id -u)" -ne 0 ] && SUDO="sudo"
  $SUDO apt-get update -qq || true
  # shellcheck disable=SC2086
  $SUDO apt-get install -y -qq $PKGS >/dev/null || echo "warning: could not install$PKGS; without Tesseract OCR of scanned PDFs is skipped, without Chromium the report's browser test is skipped" >&2
fi
[ -x .venv/bin/python ] || python3 -m venv .venv
.venv/bin/python -m pip install -q --upgrade pip >/dev/null
.venv/bin/python -m pip install -q -e ".[test]"
