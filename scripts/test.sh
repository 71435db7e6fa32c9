#!/usr/bin/env bash
# Sets up everything the tests need on a clean machine, then runs them:
#   LibreOffice (Debian package, only when missing), a virtual environment with xlsreport and its
#   test dependencies, then pytest.  Extra arguments go to pytest.
set -euo pipefail
cd "$(dirname "$0")/.."

# Calc checks the workbooks' formulas; Writer, poppler-utils and a Chinese font check the rendered
# report (docx → PDF → text; without a CJK font the PDF's text layer is garbage).
if ! command -v soffice >/dev/null 2>&1 || ! command -v pdftotext >/dev/null 2>&1 \
   || ! ls /usr/lib/libreoffice/program/libswlo.so >/dev/null 2>&1 \
   || ! fc-list :lang=zh | grep -q .; then
  echo "== 安装 LibreOffice Calc/Writer、poppler-utils、中文字体（Debian 软件包，约两分钟）" >&2
  sudo=""
  if [ "$(id -u)" -ne 0 ]; then sudo="sudo"; fi
  $sudo apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq libreoffice-calc-nogui libreoffice-writer-nogui \
    poppler-utils fonts-wqy-microhei >/dev/null
fi

if [ ! -x .venv/bin/python ]; then
  python3 -m venv .venv
fi
.venv/bin/python -m pip install -q --disable-pip-version-check -e '.[test]'
exec .venv/bin/python -m pytest "$@"
