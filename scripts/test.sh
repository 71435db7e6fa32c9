#!/usr/bin/env bash
# Sets up everything the tests need on a clean machine, then runs them:
#   Debian packages (LibreOffice Calc and Writer, a Chinese font, poppler-utils; only when
#   missing), a virtual environment with xlsreport and its
#   test dependencies, then pytest.  Extra arguments go to pytest.
set -euo pipefail
cd "$(dirname "$0")/.."

# Debian packages the tests use: LibreOffice Calc (formula and xls/ods round trips) and Writer
# (docx/html -> PDF), a Chinese font (without one, Writer's PDFs carry garbage text), poppler-utils
# (pdftotext/pdftoppm).  Installed only when missing.
packages="libreoffice-calc-nogui libreoffice-writer-nogui fonts-wqy-microhei poppler-utils"
missing=""
for package in $packages; do
  dpkg -s "$package" >/dev/null 2>&1 || missing="$missing $package"
done
if [ -n "$missing" ]; then
  echo "== 安装 Debian 软件包：$missing（首次约两三分钟）" >&2
  sudo=""
  if [ "$(id -u)" -ne 0 ]; then sudo="sudo"; fi
  $sudo apt-get update -qq
  # shellcheck disable=SC2086
  DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq $missing >/dev/null
fi

if [ ! -x .venv/bin/python ]; then
  python3 -m venv .venv
fi
.venv/bin/python -m pip install -q --disable-pip-version-check -e '.[test]'
exec .venv/bin/python -m pytest "$@"
