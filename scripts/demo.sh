#!/usr/bin/env bash
# Installs xlsreport into .venv and runs the main job on the bundled samples: a blank template,
# the check of every sample, the summary, and the county merge (written to out/).
set -uo pipefail
cd "$(dirname "$0")/.."

if [ ! -x .venv/bin/python ]; then
  python3 -m venv .venv
fi
.venv/bin/python -m pip install -q --disable-pip-version-check . || exit 1
x=.venv/bin/xlsreport
mkdir -p out

echo "== xlsreport template out/填报模板.xlsx --force"
$x template out/填报模板.xlsx --force
echo
echo "== xlsreport check samples/"
$x check samples/
echo "(退出码 $?：0 全部通过，1 有错误——样例中故意放了一个有错误的单位)"
echo
echo "== xlsreport summary samples/ --roster samples/roster.txt"
$x summary samples/ --roster samples/roster.txt
echo
echo "== xlsreport merge samples/ -o out/微山县-2024-汇总.xlsx --unit 微山县 --year 2024 --roster samples/roster.txt --force"
$x merge samples/ -o out/微山县-2024-汇总.xlsx --unit 微山县 --year 2024 --roster samples/roster.txt --force
echo "(退出码 $?：1 表示有单位未计入合计，详见汇总工作簿的 明细 和 问题清单)"
