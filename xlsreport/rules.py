"""Every finding the tool can report, written once: its code, severity, title and message.

A code is stable (scripts filter on it); the title is what a table of rules shows (README
"校验规则", the workbook's 问题清单 filter); the message is a template whose ``{fields}`` the
checker, the batch or the reader fills.  No other module spells a message or decides a
severity: adding a rule is adding one ``Rule`` below (and the code that finds it).

``form`` imports this module (the identities name their rule here), so it imports nothing of
the package.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Literal, Mapping

# "info": said once, for the record, never a problem (not counted, never fails --strict): what
# the form itself decides, such as a blank cell of a table that has no blank cells.
Severity = Literal["error", "warning", "info"]

# How a severity is said to a clerk, the one word everywhere: the screen's counts and tags, the
# README, the merged workbook's 明细 and 问题清单, --annotate, the return notices.
SEVERITY_LABELS: dict[str, str] = {"error": "错误", "warning": "警告", "info": "说明"}
ERROR_WORD, WARNING_WORD = SEVERITY_LABELS["error"], SEVERITY_LABELS["warning"]


@dataclass(frozen=True)
class Rule:
    """One kind of finding.  ``message`` (and ``grouped``, the form for many cells of one sheet
    at once) are ``str.format`` templates; ``annotated`` says whether an --annotate copy marks
    the cells (a value read leniently is written as a proper number there: nothing to point at);
    ``unpublishable`` marks a warning that still keeps ``render`` from publishing (see
    :attr:`blocks_publishing`); ``batch`` marks what summary and merge decide about a file (left
    out, a duplicate, not on the roster), which their terminal view lists under the table.

    ``advice`` is what to do, by what the tool can see of the cause: keyed by the kind of source
    (``"workbook"``: a spreadsheet, whose totals are formulas; ``"document"``: a published web
    page, PDF, Word or text, which has no formulas to recalculate) or by a cause the checker
    found (``"text_ignored"``: an item typed as text, which a SUM formula leaves out; which rule
    chose among a unit's files).  The template's ``{advice}`` is filled with it (itself a
    template of the same fields)."""

    code: str
    severity: Severity
    title: str
    message: str
    grouped: str = ""
    annotated: bool = True
    unpublishable: bool = False
    batch: bool = False  # said of a file by summary/merge (which files were summed): shown under their table
    advice: Mapping[str, str] = field(default_factory=dict, hash=False, compare=False)

    @property
    def blocks_publishing(self) -> bool:
        """``render`` writes no report with this finding unless --force: every error, and the
        warnings after which the report would go out without saying whose or which year's it is."""
        return self.severity == "error" or self.unpublishable

    def text(self, source: str = "workbook", **fields: object) -> str:
        return self.message.format(**self._advised(source, fields))

    def grouped_text(self, source: str = "workbook", **fields: object) -> str:
        return self.grouped.format(**self._advised(source, fields))

    def _advised(self, source: str, fields: dict) -> dict:
        if not self.advice:
            return fields
        advice = self.advice.get(source, self.advice.get("workbook", ""))
        return {**fields, "advice": advice.format(**fields)}


# What to do about a total that is not the sum of its items, by what the checker can see.
_TOTAL_ADVICE = {
    "workbook": "表中的合计数与各项之和不符：可能是公式被手工改写成了数字，或保存的是未重新计算的旧结果；请核对各项后重新计算合计。",
    "document": "报告表格中的合计数与各项之和不符：请核对各项数字和合计数，改正后更新已发布的报告。",
    "text_ignored": "{text_cells} 填的是文本，求和公式不计文本，合计中少了 {ignored}：请在这些单元格只填数字，合计随之更正。",
}
# A total left blank: a workbook's formula whose result was not saved; a document has none.
_TOTAL_BLANK_ADVICE = {
    "workbook": "（单元格中若是公式，说明保存文件的程序没有存下计算结果，用 Excel 或 WPS 打开后再保存一次即可）",
    "document": "",
}
# Which rule chose the file a batch uses among a unit's several, said as it was (batch._mark_duplicates).
_DUPLICATE_DECIDED = {
    "by_date": "按填报日期采用较新的 {used_file}",
    "by_time": "按文件修改时间采用较新的 {used_file}",
    "same_date_by_time": "两份的填报日期相同，按文件修改时间采用较新的 {used_file}",
    "tie_name": "两份的{same}，无法判断哪份在后，按文件名顺序采用 {used_file}（请向该单位核实应采用哪一份）",
}
# A grouped hygiene finding: "{sheet}：<what>：主动公开!B3、主动公开!C3 …（共 4 个单元格）。"
_CELLS = "：{listed}{more}。"

_ALL: tuple[Rule, ...] = (
    # ---- the form's identities (form.IDENTITIES name these codes) -------------------------
    Rule("CAT.TOTAL", "error", "主动公开分类：各类之和 = 合计",
         "{scope}：{terms} ≠ {row} {stored}（{where}），相差 {diff}。{advice}", advice=_TOTAL_ADVICE),
    Rule("T3.ROW_TOTAL", "error", "依申请公开：每一行，各类申请人之和 = 总计",
         "{scope}「{row}」：{terms} ≠ {column} {stored}（{where}），相差 {diff}。{advice}", advice=_TOTAL_ADVICE),
    Rule("T3.COL_TOTAL", "error", "依申请公开：每一列，各项办理结果之和 = （七）总计",
         "{scope}「{column}」列：各项办理结果之和 {terms} ≠ {row} {stored}（{where}），相差 {diff}。{advice}", advice=_TOTAL_ADVICE),
    Rule("T3.BALANCE", "error", "依申请公开：每一列，一 + 二 = （七）总计 + 四（官方勾稽说明）",
         "{scope}「{column}」列：{left_names} = {left_terms} = {left_sum}，{right_names} = {right_terms} = {right_sum}，"
         "相差 {diff}。{note}（{where}）。"),
    Rule("T4.ROW_TOTAL", "error", "复议诉讼：每一组，各项结果之和 = 总计",
         "{scope}「{row}」：{terms} ≠ {column} {stored}（{where}），相差 {diff}。{advice}", advice=_TOTAL_ADVICE),
    # ---- values -------------------------------------------------------------------------
    Rule("VALUE.NEGATIVE", "error", "数值为负数", "{where}「{label}」：{number} 是负数，应不小于 0。"),
    Rule("VALUE.NOT_INTEGER", "error", "件数不是整数", "{where}「{label}」：{number} 不是整数，件数应为整数。"),
    Rule("VALUE.INVALID", "error", "应填数字处填了无法识别的内容（如“约50”、#REF!）",
         "{where}「{label}」：读到“{raw}”，不是数字，不能当作 0；请填写{wanted}。"),
    Rule("VALUE.TEXT_NUMBER", "warning", "数字以文本形式填写（如“５８”“　　0”），已按数字读取",
         "{where}「{label}」：读到文本“{raw}”，已按数字 {number} 读取。",
         "{sheet}：数字以文本形式填写（如“{raw}”），已按数字读取" + _CELLS, annotated=False),
    Rule("VALUE.WITH_UNIT", "warning", "数字带有单位（如“58条”），已按数字读取",
         "{where}「{label}」：读到“{raw}”，已按数字 {number} 读取（单位已在表头，单元格只填数字）。",
         "{sheet}：数字带有单位或文字（如“{raw}”），已按数字读取" + _CELLS, annotated=False),
    Rule("VALUE.PLACEHOLDER", "warning", "以“/”“—”“无”等代替数字，按 0 计",
         "{where}「{label}」：填的是“{raw}”，按未填写（0）计。",
         "{sheet}：以“{raw}”等代替数字，按未填写（0）计" + _CELLS),
    # The official tables have no blank cells (a zero is written 0) and the template's formulas
    # count a blank as 0: a clerk who types only the non-zero numbers has made no mistake.
    Rule("VALUE.BLANK", "info", "应填数字的单元格为空，按 0 计（正式表格没有空白单元格，只作说明）",
         "{where}「{label}」：未填写，按 0 计。",
         "应填数字的单元格为空，均按 0 计（正式表格没有空白单元格，空白即为 0）" + _CELLS, annotated=False),
    Rule("VALUE.TOTAL_BLANK", "warning", "合计/总计未填写，按各项之和计",
         "{where}「{label}」：未填写（{raw}），按各项之和 {number} 计。",
         "{sheet}：合计/总计未填写，按各项之和计{advice}" + _CELLS, advice=_TOTAL_BLANK_ADVICE),
    # ---- the file as a whole --------------------------------------------------------------
    Rule("PART.MISSING", "warning", "文件中没有这一部分，其余部分照常检查", "文件中没有「{heading}」部分，未作检查。",
         annotated=False),
    Rule("ROW.MISSING", "warning", "部分中缺少行、栏目或数值（标签被删去或文件中没有），这些数值未读取",
         "「{heading}」中没有找到{what}：这些数值没有读到（未从相邻的行或栏目借用），核对时合计按各项之和、其余按 0 计；"
         "请确认文件是否删去或漏印了它们。", annotated=False),
    Rule("READ.NOTE", "warning", "表格中的值按位置或推断读取（标签缺失、写法不同或表格重复），请核对",
         "{note}", annotated=False),
    Rule("FORMAT.TRIAL_2019", "error", "使用的是 2019 年试行格式（国办公开办函〔2019〕60号），不是现行格式",
         "这是2019年试行格式（{trial_basis}，用于2019、2020年度报告），不是现行格式{basis}，两者栏目不同：{notes}。"
         "请改用现行格式填报。"),
    Rule("UNIT.NAME_MISSING", "warning", "未填写单位名称", "未填写{label}{where}：汇总时无法识别是哪个单位的报告。",
         unpublishable=True),
    Rule("UNIT.YEAR_MISSING", "warning", "未填写或无法识别报告年度", "{label}{where}{found}：请填写四位数的年份，如 2024。",
         unpublishable=True),
    # ---- last year's report (--previous) ---------------------------------------------------
    Rule("YEAR.CARRY", "error", "本年“二、上年结转”≠ 上年“四、结转下年度继续办理”（需 `--previous`）",
         "{scope}「{column}」列：本年{row} {this}（{where}）≠ 上年{prev_row} {prev}（{prev_where}），相差 {diff}。"),
    Rule("YEAR.IN_FORCE", "warning", "现行有效件数 ≠ 上年现行有效 + 本年制发 − 本年废止",
         "{scope}「{row}」：上年{in_force_label} {last}（{prev_where}）+ {issued_label} {issued} − {repealed_label} {repealed}"
         " = {expected}，但本年{in_force_label}为 {now}（{where}），相差 {diff}（修订等情形可能造成差异，请核对）。"),
    Rule("YEAR.NO_PREVIOUS", "warning", "上年报告中没有这个单位（需 `--previous`），未作跨年度核对",
         "上年报告（{prev_source}）中没有{unit_label}的报告，未核对上年结转和现行有效件数：请确认单位名称与上年一致，或补充上年报告。",
         annotated=False),
    Rule("YEAR.JUMP", "warning", "关键数字与上年相比变化异常（`summary --previous`），请核对",
         "{unit_label}「{figure}」由上年 {last} 变为本年 {now}，{change}：变化异常，请核对是否填错（上年报告：{prev_file}）。",
         annotated=False),
    Rule("YEAR.SEQUENCE", "warning", "上年报告的年度不是本年度的前一年",
         "作为上年报告给出的 {prev_file} 是 {prev_year} 年度的，本报告是 {this_year} 年度：应为 {expected} 年度，跨年度核对可能无意义。"),
    Rule("YEAR.OTHER_UNIT", "warning", "上年报告的单位名称与本年不同",
         "上年报告 {prev_file} 的单位是「{prev_unit}」，本报告是「{this_unit}」：请确认是同一单位。"),
    # ---- plausibility ---------------------------------------------------------------------
    Rule("PLAUS.RULES_LOCAL", "warning", "乡镇、县级部门等非规章制定机关填报了规章",
         "「{this_unit}」填报了规章：{shown}。只有省、自治区、直辖市和设区的市、自治州人民政府（及国务院部门）制定规章；"
         "乡镇、县级单位和政府部门制发的应填在「{normative}」一行。"),
    Rule("PLAUS.OTHER_OTHER", "warning", "（六）其他处理“3.其他”多于其余各项办理结果之和",
         "{scope}「{row}」共 {other} 件（{where}），多于其余各项办理结果之和 {named} 件："
         "请核对能否归入予以公开、不予公开、无法提供、不予处理等具体情形。"),
    Rule("PLAUS.FEE_COLLECTED", "warning", "实际收取的信息处理费多于收费通知金额",
         "信息处理费：{collected_label} {collected}（{collected_where}）多于{notified_label} {notified}（{notified_where}）。"),
    Rule("PLAUS.FEE_NO_NOTICE", "warning", "未发出收费通知却有收费金额", "信息处理费：{sent_label}为 0（{sent_where}），却有{shown}。"),
    Rule("PLAUS.FEE_UNPAID", "warning", "有“逾期未按收费通知缴费”的申请，却未发出收费通知",
         "{scope}「{row}」共 {unpaid} 件（{where}），但{sent_label}为 0（{sent_where}）：没有收费通知，就不会有逾期未缴费。"),
    Rule("PLAUS.UNTOUCHED", "error", "表格未填写：除下发时预填的内容外什么也没填，或所有申请数为 0 且单位名称、年度都没填",
         "表格未填写：{what}。是否交错了文件（未填写的模板）？"),
    Rule("PREFILL.CHANGED", "error", "下发时预填并锁定的数字（上年结转）被改动",
         "{where}「{label}」：下发时预填的是 {prefilled}（{source_text}），报回的是 {found}：上年结转应等于上年报告的"
         "“结转下年度继续办理”，请恢复预填的数字；确需更正的，请先更正上年报告。"),
    # ---- the published report against the submitted workbook (check --against, a folder) ---
    Rule("PUBLISHED.UNIT", "error", "已发布的报告与报送的工作簿不是同一单位",
         "已发布的报告 {pub_file} 是「{published}」的，报送的工作簿 {sub_file} 是「{submitted}」的：请确认比对的是同一单位的报告。",
         annotated=False),
    Rule("PUBLISHED.YEAR", "error", "已发布的报告与报送的工作簿年度不同",
         "已发布的报告 {pub_file} 是 {published} 年度的，报送的工作簿 {sub_file} 是 {submitted} 年度的：请确认比对的是同一年度的报告。",
         annotated=False),
    Rule("PUBLISHED.NUMBER", "error", "已发布的报告中的数字与报送的工作簿不符",
         "「{label}」：已发布的报告为 {published}（{pub_where}，{pub_file}），报送的工作簿为 {submitted}（{sub_where}，{sub_file}）："
         "发布稿与汇总所用的数字不一致，请核对后更正其中错误的一方。"),
    # ---- the narrative (报告正文) ----------------------------------------------------------
    Rule("NARR.EMPTY", "warning", "报告正文的一、五、六部分为空或只写了“略”“无”",
         "报告正文「{section}」{state}{where}：这一部分是年度报告格式规定的内容，请写明本年度的实际情况。"),
    Rule("NARR.COPIED", "warning", "报告正文与上年报告大段相同（需 `--previous`）",
         "报告正文「{section}」与上年报告（{prev_file}）相同的文字占 {share}%（{same} / {total} 字，数字和年份的不同不计）{where}："
         "请按本年度的实际情况撰写。"),
    # ---- a batch (summary, merge) -----------------------------------------------------------
    Rule("NARR.MISMATCH", "warning", "报告正文引用的数字与表格不符",
         "正文“{words}”与{sheet}{labels}{table}（{table_cells}）不符：正文 {quoted}，表中 {table}（见正文「{section}」{text_where}）。"),
    Rule("MERGE.DUPLICATE", "warning",
         "同一单位同一年度有两份文件，只采用较新的一份（按填报日期，否则按文件时间；时间相同时按文件名）",
         "{unit_label}{used_year}年度报送了不止一份：{other} 与 {used}；{advice}，{this_file} 未汇总。", batch=True,
         advice=_DUPLICATE_DECIDED),
    Rule("MERGE.PUBLISHED", "warning", "同一单位同一年度既有报送的工作簿又有已发布的报告，发布稿与工作簿不符：汇总采用工作簿",
         "{unit_label}{used_year}年度既有报送的工作簿 {workbook}，又有已发布的报告 {document}：汇总采用工作簿，发布稿{agreement}。",
         batch=True),
    Rule("MERGE.PUBLISHED_AGREES", "info", "同一单位同一年度既有报送的工作簿又有已发布的报告，两者一致：汇总采用工作簿",
         "{unit_label}{used_year}年度既有报送的工作簿 {workbook}，又有已发布的报告 {document}：汇总采用工作簿，发布稿与工作簿一致。",
         batch=True),
    Rule("MERGE.YEAR", "error", "文件的年度与汇总年度不符或未填年度，未计入", "{unit_label}{found}：未汇总。", batch=True),
    Rule("MERGE.BLANK", "error", "表格未填写（空白模板，或下发后原样报回），未计入",
         "{name} 是未填写的表格（空白模板，或下发后除预填内容外什么也没填），不是某个单位的报告：未汇总。", batch=True),
    Rule("MERGE.SUMMED_TWICE", "warning", "汇总工作簿与其中已计入的单位的报表放在一起，未采用（以免重复相加）",
         "{name} 是{unit_label}的汇总工作簿，其中已计入本次输入中另有报表的 {units}：为免重复相加，未汇总。", batch=True),
    Rule("MERGE.NOT_IN_ROSTER", "warning", "单位不在名单中（请核对名称）", "{unit_label}不在单位名单中：请核对单位名称是否与名单一致。", batch=True),
    Rule("INPUT.SKIPPED", "warning", "文件夹中不是报表的文件（说明、图片等），已跳过并列出",
         "{name} 不是报表文件（{kind}），已跳过。"),
    Rule("UNREADABLE", "error", "文件无法读取（原因见说明），未计入", "{reason}"),
    Rule("INTERNAL", "error", "读取文件时发生内部错误（xlsreport 的缺陷），未计入",
         "读取 {name} 时发生内部错误（{error}），这是 xlsreport 的缺陷，请报告。"),
    # ---- a file that could not be read: its finding has the error's code (errors.py) -------
    Rule("UNSUPPORTED_FORMAT", "error", "文件是本工具不读取的格式（如 .doc、.xlsb、CSV、图片），未计入", "{reason}"),
    Rule("ENCRYPTED", "error", "文件设置了打开密码，无法读取，未计入", "{reason}"),
    Rule("LIMIT_EXCEEDED", "error", "文件超过读取限制（见“文件限制”），未读取，未计入", "{reason}"),
    Rule("NOT_A_FORM", "error", "文件中没有年度报告的表格，未计入", "{reason}"),
    # ---- the registers kept all year (form.REGISTERS): the tables counted from the records --
    Rule("LEDGER.T3_COUNT", "error", "表三所填与依申请公开台账按日期统计的件数不符",
         "{where}「{label}」填 {typed}，台账“{sheet}”按日期统计为 {count}（{period}）：{rows}。请核对台账或表三。"),
    Rule("LEDGER.FEE", "error", "信息处理费所填与依申请公开台账的收费记录不符",
         "{where}「{label}」填 {typed}，台账“{sheet}”中{period}答复的记录合计为 {count}：{rows}。请核对台账或所填数字。"),
    Rule("LEDGER.ROW", "error", "依申请公开台账中无法统计的记录（日期不是日期、类型或结果不在列表中、答复早于收到）",
         "{where}（台账第{row}行{serial}）：{reason}，这一行未计入统计。",
         "“{sheet}”中另有 {count} 行无法统计：{listed}{more}。"),
    Rule("LEDGER.NO_YEAR", "warning", "台账或清单有记录，但报告年度未填或无法识别，未按年度核对",
         "“{sheet}”有 {count} 条记录，但{label}未填或无法识别：无法按年度统计，未与表格核对。"),
    Rule("LIST.CATEGORY", "error", "主动公开分类所填与主动公开信息清单的条数不符",
         "{where}「{label}」填 {typed}，清单“{sheet}”中{period}发布的「{label}」有 {count} 条：{rows}。请核对清单或分类表。"),
    Rule("LIST.ROW", "error", "主动公开信息清单中无法统计的记录（类别不在列表中、日期不是日期）",
         "{where}（清单第{row}行）：{reason}，这一行未计入统计。",
         "“{sheet}”中另有 {count} 行无法统计：{listed}{more}。"),
    Rule("LEDGER.CARRY_PREFILLED", "error", "下发时按上年报告预填的上年结转与依申请公开台账的统计不符（以上年报告为准）",
         "{where}「{label}」是下发时按上年报告预填并锁定的 {typed}（{source_text}），台账“{sheet}”按日期统计为 {count}"
         "（{period}以前收到、当时未答复）：{rows}。上年结转以上年报告为准，请核对台账中这些记录的收到日期和答复日期；"
         "确认上年报告有误的，请先更正上年报告。"),
)

RULES: dict[str, Rule] = {rule.code: rule for rule in _ALL}
assert len(RULES) == len(_ALL), "a rule code is defined twice"

# Names the templates never use: ``model.Finding.of`` takes them as the finding's own fields.
for _rule in _ALL:
    for _name in ("rule", "cells", "paths", "file", "unit", "year", "grouped", "source"):
        assert "{" + _name + "}" not in _rule.message + _rule.grouped, (_rule.code, _name)

# How each leniently read cell status is reported (model.Status → rule); a total left blank or
# holding a placeholder is TOTAL_NOT_FILLED instead.
LENIENT_STATUS: dict[str, str] = {
    "text_number": "VALUE.TEXT_NUMBER",
    "with_unit": "VALUE.WITH_UNIT",
    "placeholder": "VALUE.PLACEHOLDER",
    "blank": "VALUE.BLANK",
}
TOTAL_NOT_FILLED = "VALUE.TOTAL_BLANK"


def _code(code: str) -> str:
    """A rule code other modules compare findings with: checked here, so a typo fails at import."""
    assert code in RULES, f"no rule {code}"
    return code


# The codes the batch decides by (compare ``finding.rule`` with these, never with a literal).
UNREADABLE = _code("UNREADABLE")
INTERNAL = _code("INTERNAL")
UNTOUCHED = _code("PLAUS.UNTOUCHED")
NO_PREVIOUS = _code("YEAR.NO_PREVIOUS")
# A file that could not be read has one finding, whose code is the error's (errors.py: the code of
# UnreadableWorkbook and each of its kinds), or INTERNAL for a bug of ours.
FAILED_READING: frozenset[str] = frozenset(
    {UNREADABLE, INTERNAL, _code("UNSUPPORTED_FORMAT"), _code("ENCRYPTED"), _code("LIMIT_EXCEEDED"), _code("NOT_A_FORM")}
)
# Warnings that leave a file out of a merge (the errors all do): said as why it was not summed.
LEAVES_OUT: frozenset[str] = frozenset({_code("MERGE.DUPLICATE"), _code("MERGE.SUMMED_TWICE")})
# The codes other modules write or compare besides the batch's: the 校验 sheet's cross-year rows,
# the empty sections render says itself, a published report against its workbook (compare.py).
IN_FORCE = _code("YEAR.IN_FORCE")
NARR_EMPTY = _code("NARR.EMPTY")
PUBLISHED_DIFFERS: frozenset[str] = frozenset({_code("PUBLISHED.UNIT"), _code("PUBLISHED.YEAR"), _code("PUBLISHED.NUMBER")})


def readme_table() -> str:
    """The rule table of README.md (section 校验规则), exactly as it must stand there."""
    lines = ["| 代码 | 级别 | 内容 |", "|---|---|---|"]
    lines += [f"| `{r.code}` | {_level(r)} | {r.title} |" for r in _ALL]
    return "\n".join(lines)


def _level(rule: Rule) -> str:
    """A warning that keeps ``render`` from publishing says so (an error always does)."""
    shown = SEVERITY_LABELS[rule.severity]
    return f"{shown}（不生成报告）" if rule.unpublishable and rule.severity != "error" else shown
