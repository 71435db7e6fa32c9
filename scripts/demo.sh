#!/usr/bin/env bash
# Installs xlsreport into .venv and runs the main job on the bundled samples: a blank template,
# the check of every sample (workbooks and a published report as text), the summary, the county
# merge, return packages, next year's templates sent by roster, a published report checked against
# its workbook, the publishable report and an import (all written to out/).
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
echo "== xlsreport check samples/inbox/ samples/seed/   # 各单位报来的文件夹和种子报告（samples/data 是 JSON 数据，不是报表）"
$x check samples/inbox/ samples/seed/
echo "(退出码 $?：1 表示有错误——高楼乡故意填错了一处；种子附件的六类之和是 54，合计却写 58)"
echo
echo "== xlsreport summary samples/inbox/ --roster samples/roster.txt"
$x summary samples/inbox/ --roster samples/roster.txt
echo
echo "== xlsreport merge samples/inbox/ -o out/微山县-2024-汇总.xlsx --unit 微山县 --year 2024 --roster samples/roster.txt --force"
$x merge samples/inbox/ -o out/微山县-2024-汇总.xlsx --unit 微山县 --year 2024 --roster samples/roster.txt --force
echo "(退出码 $?：1 表示有单位未计入合计，详见汇总工作簿的 明细 和 问题清单)"
echo
due=$(date -d "+30 days" +%F 2>/dev/null || date -v+30d +%F)   # 一个月后：早于今天的期限会被提示
echo "== xlsreport check samples/inbox/ --return-dir out/退回 --due $due --unit 微山县人民政府办公室 --force   # 给不通过的单位各写一个退回文件夹"
$x check samples/inbox/ --return-dir out/退回 --due "$due" --unit 微山县人民政府办公室 --force >/dev/null
ls -R out/退回
echo
echo "== xlsreport template out/2025年下发/ --roster samples/roster.txt --year 2025 --previous samples/inbox/ --due $due --force   # 新的一年：按名单给每个单位一个预填了上年结转的模板，和下发通知"
$x template out/2025年下发/ --roster samples/roster.txt --year 2025 --previous samples/inbox/ --due "$due" --force
echo
echo "== xlsreport check samples/seed/西平镇-2024-年度报告.txt --against samples/inbox/西平镇-2024.xlsx   # 已发布的报告与报送的工作簿逐数核对"
$x check samples/seed/西平镇-2024-年度报告.txt --against samples/inbox/西平镇-2024.xlsx
echo
echo "== xlsreport render samples/inbox/西平镇-2024.xlsx -o out/西平镇-2024年政府信息公开工作年度报告.docx --force"
$x render samples/inbox/西平镇-2024.xlsx -o out/西平镇-2024年政府信息公开工作年度报告.docx --force
echo
echo "== xlsreport import samples/seed/西平镇-2024-年度报告.txt -o out/西平镇-2024-由报告导入.xlsx --force   # 已发布的报告 → 官方工作簿"
$x import samples/seed/西平镇-2024-年度报告.txt -o out/西平镇-2024-由报告导入.xlsx --force
echo
echo "== xlsreport check out/微山县-2024-汇总.xlsx   # 汇总工作簿本身也是一份可校验、可再汇总的官方表格"
$x check out/微山县-2024-汇总.xlsx
