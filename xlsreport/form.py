"""The form: 政府信息公开工作年度报告 (国办公开办函〔2021〕30号), written once.

Everything else — the template writer, the reader, the checker, the merger and the
summary — reads this module.  Adding a row to a table is one edit here.

Vocabulary
----------
*path*      a tuple naming one value: ``("applications", "denied.state_secret", "natural_person")``,
            ``("categories", "total")``, ``("proactive", "licensing")``, ``("unit", "name")``.
*part*      a top-level key of the JSON shape (``unit``, ``proactive``, ``categories``, ...).
*computed*  a value the template fills with a formula (a total); the reader recomputes it from the
            inputs and reports a stored value that differs.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Callable, Iterator, Literal, Mapping

from .rules import RULES

FORM_ID = "gov-info-annual-report/2021"
FORM_TITLE = "政府信息公开工作年度报告"
FORM_BASIS = "《中华人民共和国政府信息公开工作年度报告格式》（国办公开办函〔2021〕30号）"
TRIAL_FORMAT_BASIS = "国办公开办函〔2019〕60号"
TRIAL_FORMAT_ID = "gov-info-annual-report/2019-trial"
# Labels found only in the superseded trial format (table 二 columns and the extra block); a
# reader that meets them says which format it is instead of misreading it.
TRIAL_FORMAT_MARKERS = ("本年新制作数量", "本年新公开数量", "对外公开总数量", "上一年项目数量", "本年增/减", "政府集中采购")
# Parts whose layout differs in the trial format (table 二 columns; the single （六）其他处理 row).
TRIAL_FORMAT_UNREAD = ("proactive", "applications")

Kind = Literal["count", "money", "text", "year", "date"]
# The money units the labels print (and the template's instructions name).
YUAN_10K = "万元"
YUAN = "元"
Path = tuple[str, ...]


@dataclass(frozen=True)
class Column:
    """One column of a grid. ``group`` is the chain of merged header cells above its label."""

    key: str
    label: str
    group: tuple[str, ...] = ()
    computed: bool = False
    kind: Kind = "count"


@dataclass(frozen=True)
class Row:
    """One row of a grid. ``group`` is the chain of merged label cells to the left of its label."""

    key: str
    label: str
    group: tuple[str, ...] = ()
    computed: bool = False
    aliases: tuple[str, ...] = ()  # other ways real reports print the label


@dataclass(frozen=True)
class Grid:
    """A block of numbers: rows × columns, with official labels on both axes.

    ``flat`` grids have one column whose values sit directly under the row key in the JSON
    (``"licensing": 0``) instead of a nested mapping.
    """

    key: str
    heading: str
    rows: tuple[Row, ...]
    columns: tuple[Column, ...]
    row_header: str = ""
    flat: bool = False

    @property
    def column_heading(self) -> str:
        """The merged heading over every column of the grid ("申请人情况"), or ""."""
        firsts = {c.group[:1] for c in self.columns}
        return next(iter(firsts))[0] if len(firsts) == 1 and () not in firsts else ""

    def paths(self, part: str) -> Iterator[tuple[Path, Row, Column]]:
        for row in self.rows:
            for column in self.columns:
                path = (part, row.key) if self.flat else (part, row.key, column.key)
                yield path, row, column


@dataclass(frozen=True)
class Field:
    """A single labelled value (unit facts, categories, fee notices)."""

    key: str
    label: str
    kind: Kind = "count"
    computed: bool = False
    aliases: tuple[str, ...] = ()
    hint: str = ""  # what belongs in the field, printed by the template next to its input cell


@dataclass(frozen=True)
class Part:
    """A top-level section of the form: its JSON key, its sheet in the template, its heading."""

    key: str
    sheet: str
    heading: str
    fields: tuple[Field, ...] = ()
    grids: tuple[Grid, ...] = ()
    note: str = ""
    heading_aliases: tuple[str, ...] = ()
    # How the template prints the part: "stacked" (labels down the left, the default), "across"
    # (labels in a row with the values under them, as the seed's attachment), or "side_by_side"
    # (a grid's rows printed as column groups next to each other, as table 四), or "prose" (one
    # large wrapped long-text cell per field with its hint under it: the report's narrative).
    layout: Literal["stacked", "across", "side_by_side", "prose"] = "stacked"
    chart: str = ""  # title of a column chart of the part's inputs, when the template draws one
    optional: bool = False  # a file without this part is complete (no PART.MISSING warning)
    # Whether the official published report (国办公开办函〔2021〕30号's format: the document a unit
    # puts on its website) holds the part: "always" — every report has it (the unit and year in
    # its title, tables 二 to 五); "if_said" — only when its text says it (section 六's fees, which
    # most reports state in words or not at all); "never" — not part of it (the category
    # breakdown is this form's own addition).  A published report read back lacks a part only
    # when the part is "always" in it; a workbook lacks every part that is not ``optional``.
    published: Literal["always", "if_said", "never"] = "always"


@dataclass(frozen=True)
class Leaf:
    """One value of the form, with everything a writer, reader or checker needs to know of it."""

    path: Path
    part: Part
    label: str
    kind: Kind
    computed: bool
    grid: Grid | None = None
    row: Row | None = None
    column: Column | None = None

    @property
    def row_label(self) -> str:
        """The row's label with its groups ("（三）不予公开 1.属于国家秘密"), without the section
        heading over the whole block ("三、本年度办理结果"); a field's label."""
        if self.row is None:
            return self.label
        return _shown(self.row.group, self.row.label)

    @property
    def column_label(self) -> str:
        """The column's label with its groups, without the heading over every column of the
        grid ("申请人情况"); a field's label."""
        if self.column is None or self.grid is None:
            return self.label
        return _shown(self.column.group, self.column.label, self.grid.column_heading)

    @property
    def full_label(self) -> str:
        """The label a clerk recognises for this one value: row and column, as printed on the form."""
        if self.row is None or self.column is None:
            return self.label
        if self.grid is not None and self.grid.flat:
            return f"{self.row_label}（{self.column.label}）"
        return f"{self.row_label} × {self.column_label}"


_SECTION_HEADING = re.compile(r"^[一二三四五六七八九十]+、")


def _shown(group: tuple[str, ...], label: str, shared: str = "") -> str:
    kept = [g for g in group if not _SECTION_HEADING.match(g) and g != shared]
    return " ".join(kept + [label])


@dataclass(frozen=True)
class Identity:
    """sum(left) must equal sum(right).

    ``kind`` says how a failure is judged and told: ``"total"`` — ``right`` is one computed
    value (a 合计/总计) that its formula adds up from ``left``; ``"balance"`` — two sums of
    values (一 + 二 = （七）总计 + 四).  ``rule`` is its code in ``rules.RULES``.
    """

    rule: str
    title: str
    left: tuple[Path, ...]
    right: tuple[Path, ...]
    kind: Literal["total", "balance"] = "total"


# --------------------------------------------------------------------------------------------
# The parts of the form
# --------------------------------------------------------------------------------------------

UNIT = Part(
    key="unit",
    sheet="基本信息",
    heading="基本信息",
    fields=(
        Field("name", "单位名称", "text"),
        Field("year", "报告年度", "year"),
        Field("address", "联系地址", "text"),
        Field("phone", "联系电话", "text"),
        Field("website", "网站", "text"),
        Field("preparer", "填报人", "text"),
        Field("date", "填报日期", "date"),
    ),
)

_DECISIONS = (Column("count", "本年处理决定数量"),)

PROACTIVE = Part(
    key="proactive",
    sheet="主动公开",
    heading="二、主动公开政府信息情况",
    heading_aliases=("二、行政机关主动公开政府信息情况",),
    grids=(
        Grid(
            key="article_20_1",
            heading="第二十条第（一）项",
            row_header="信息内容",
            rows=(Row("rules", "规章"), Row("normative_documents", "行政规范性文件", aliases=("规范性文件",))),
            columns=(
                Column("issued", "本年制发件数"),
                Column("repealed", "本年废止件数"),
                Column("in_force", "现行有效件数"),
            ),
        ),
        Grid(
            key="article_20_5",
            heading="第二十条第（五）项",
            row_header="信息内容",
            rows=(Row("licensing", "行政许可"),),
            columns=_DECISIONS,
            flat=True,
        ),
        Grid(
            key="article_20_6",
            heading="第二十条第（六）项",
            row_header="信息内容",
            rows=(Row("penalties", "行政处罚"), Row("coercive_measures", "行政强制")),
            columns=_DECISIONS,
            flat=True,
        ),
        Grid(
            key="article_20_8",
            heading="第二十条第（八）项",
            row_header="信息内容",
            rows=(Row("fees_10k_yuan", "行政事业性收费"),),
            columns=(Column("amount", f"本年收费金额（单位：{YUAN_10K}）", kind="money"),),
            flat=True,
        ),
    ),
)

CATEGORIES = Part(
    key="categories",
    sheet="主动公开分类",
    heading="主动公开政府信息分类统计",
    published="never",
    layout="across",
    chart="主动公开信息分类（条）",
    fields=(
        Field("notices", "通知公告"),
        Field("budget", "财政预算"),
        Field("final_accounts", "财政决算"),
        Field("functions", "机构职能"),
        Field("work_updates", "工作动态"),
        Field("other", "其他"),
        Field("total", "合计", computed=True, aliases=("总数", "主动公开信息总计")),
    ),
)

_APPLICANT = "申请人情况"
_ORGS = (_APPLICANT, "法人或其他组织")
_RESULTS = "三、本年度办理结果"

APPLICATIONS = Part(
    key="applications",
    sheet="依申请公开",
    heading="三、收到和处理政府信息公开申请情况",
    note="（本列数据的勾稽关系为：第一项加第二项之和，等于第三项加第四项之和）",
    grids=(
        Grid(
            key="applications",
            heading="三、收到和处理政府信息公开申请情况",
            columns=(
                Column("natural_person", "自然人", (_APPLICANT,)),
                Column("commercial", "商业企业", _ORGS),
                Column("research", "科研机构", _ORGS),
                Column("public_interest", "社会公益组织", _ORGS),
                Column("legal_services", "法律服务机构", _ORGS),
                Column("other_org", "其他", _ORGS),
                Column("total", "总计", (_APPLICANT,), computed=True),
            ),
            rows=(
                Row("new", "一、本年新收政府信息公开申请数量"),
                Row("carried_over", "二、上年结转政府信息公开申请数量"),
                Row("granted", "（一）予以公开", (_RESULTS,)),
                Row("partially_granted", "（二）部分公开（区分处理的，只计这一情形，不计其他情形）", (_RESULTS,)),
                Row("denied.state_secret", "1.属于国家秘密", (_RESULTS, "（三）不予公开")),
                Row("denied.prohibited_by_law", "2.其他法律行政法规禁止公开", (_RESULTS, "（三）不予公开")),
                Row("denied.security_stability", "3.危及“三安全一稳定”", (_RESULTS, "（三）不予公开")),
                Row("denied.third_party", "4.保护第三方合法权益", (_RESULTS, "（三）不予公开")),
                Row("denied.internal_affairs", "5.属于三类内部事务信息", (_RESULTS, "（三）不予公开")),
                Row("denied.process_information", "6.属于四类过程性信息", (_RESULTS, "（三）不予公开")),
                Row("denied.enforcement_files", "7.属于行政执法案卷", (_RESULTS, "（三）不予公开")),
                Row("denied.query_matters", "8.属于行政查询事项", (_RESULTS, "（三）不予公开")),
                Row("unavailable.not_held", "1.本机关不掌握相关政府信息", (_RESULTS, "（四）无法提供")),
                Row("unavailable.needs_creation", "2.没有现成信息需要另行制作", (_RESULTS, "（四）无法提供")),
                Row("unavailable.unclear_after_correction", "3.补正后申请内容仍不明确", (_RESULTS, "（四）无法提供")),
                Row("not_processed.petitions", "1.信访举报投诉类申请", (_RESULTS, "（五）不予处理")),
                Row("not_processed.repeated", "2.重复申请", (_RESULTS, "（五）不予处理")),
                Row("not_processed.publications", "3.要求提供公开出版物", (_RESULTS, "（五）不予处理")),
                Row("not_processed.excessive", "4.无正当理由大量反复申请", (_RESULTS, "（五）不予处理")),
                Row("not_processed.confirmation", "5.要求行政机关确认或重新出具已获取信息", (_RESULTS, "（五）不予处理")),
                Row(
                    "other.no_correction",
                    "1.申请人无正当理由逾期不补正、行政机关不再处理其政府信息公开申请",
                    (_RESULTS, "（六）其他处理"),
                ),
                Row(
                    "other.fee_unpaid",
                    "2.申请人逾期未按收费通知要求缴纳费用、行政机关不再处理其政府信息公开申请",
                    (_RESULTS, "（六）其他处理"),
                ),
                Row("other.other", "3.其他", (_RESULTS, "（六）其他处理")),
                Row("handled_total", "（七）总计", (_RESULTS,), computed=True),
                Row("carried_forward", "四、结转下年度继续办理"),
            ),
        ),
    ),
)

_LITIGATION = "行政诉讼"
_OUTCOMES = (
    Column("upheld", "结果维持"),
    Column("corrected", "结果纠正"),
    Column("other", "其他结果"),
    Column("pending", "尚未审结"),
    Column("total", "总计", computed=True),
)

REVIEW_LITIGATION = Part(
    key="review_litigation",
    sheet="复议诉讼",
    heading="四、政府信息公开行政复议、行政诉讼情况",
    heading_aliases=("四、因政府信息公开工作被申请行政复议、提起行政诉讼情况",),
    layout="side_by_side",
    grids=(
        # Printed as three groups of five columns side by side; each group is a "row" here so
        # that the per-group identity is the same row-total rule as in table 三.
        Grid(
            key="review_litigation",
            heading="四、政府信息公开行政复议、行政诉讼情况",
            rows=(
                Row("review", "行政复议"),
                Row("litigation_direct", "未经复议直接起诉", (_LITIGATION,)),
                Row("litigation_after_review", "复议后起诉", (_LITIGATION,)),
            ),
            columns=_OUTCOMES,
        ),
    ),
)

FEE_NOTICES = Part(
    key="fee_notices",
    sheet=UNIT.sheet,
    heading="六、其他需要报告的事项：信息处理费",
    published="if_said",
    fields=(
        Field("notices_sent", "发出收费通知的件数"),
        Field("amount_notified_yuan", f"收费通知总金额（{YUAN}）", "money"),
        Field("amount_collected_yuan", f"实际收取的总金额（{YUAN}）", "money"),
    ),
)

# The published report's narrative (报告正文): the text around the tables, one long text per
# field (line breaks are paragraph breaks).  The template prints it on its own sheet; the renderer
# puts each field under its section (SECTIONS); it is optional — the statistical form is complete
# without it.
# The narrative field that holds the text before the first section heading (编制依据、统计期限……).
PREAMBLE_FIELD = "preamble"

NARRATIVE = Part(
    key="narrative",
    sheet="报告正文",
    heading="报告正文",
    layout="prose",
    optional=True,
    published="if_said",
    fields=(
        Field(
            PREAMBLE_FIELD,
            "开头段落（编制依据、统计期限、查阅和联系方式）",
            "text",
            hint="报告开头、“一、总体情况”之前的一段：依据《中华人民共和国政府信息公开条例》编制本报告；"
            "所列数据的统计期限（本年1月1日至12月31日）；本报告在哪个网站可以查阅；"
            "对本报告有疑问时的联系单位、地址、邮编和电话。",
        ),
        Field(
            "overview",
            "一、总体情况",
            "text",
            hint="本年度政府信息公开工作的总体情况：主动公开、依申请公开、政府信息管理、平台建设、监督保障等，"
            "不写标题“一、总体情况”。文中引用的数字（主动公开信息总计…条、收到申请…件等）会与各表核对。",
        ),
        Field(
            "problems",
            "五、存在的主要问题及改进情况",
            "text",
            hint="本年度工作存在的主要问题，上年度问题的改进情况，下一步的改进措施。不写标题。",
        ),
        Field(
            "other",
            "六、其他需要报告的事项",
            "text",
            hint="其他需要报告的事项，如信息处理费的收取情况（发出收费通知的件数和总金额、实际收取的总金额在“基本信息”表填写，"
            "报告中自动列出）、人大代表建议和政协提案办理结果公开情况等。不写标题；不要只写“无”或“略”，没有其他事项的请如实写明。",
        ),
    ),
)


@dataclass(frozen=True)
class Section:
    """One of the six sections of the published report, in the official order.

    ``narrative`` names the field of NARRATIVE that holds its text; ``parts`` the parts whose
    tables are printed under it.
    """

    number: str
    heading: str
    narrative: str | None = None
    parts: tuple[str, ...] = ()
    heading_aliases: tuple[str, ...] = ()


SECTIONS: tuple[Section, ...] = (
    Section("一", "一、总体情况", narrative="overview"),
    Section("二", PROACTIVE.heading, parts=("proactive", "categories"), heading_aliases=PROACTIVE.heading_aliases),
    Section("三", APPLICATIONS.heading, parts=("applications",)),
    Section("四", REVIEW_LITIGATION.heading, parts=("review_litigation",), heading_aliases=REVIEW_LITIGATION.heading_aliases),
    Section("五", "五、存在的主要问题及改进情况", narrative="problems"),
    Section("六", "六、其他需要报告的事项", narrative="other", parts=("fee_notices",)),
)

# The published report's title: "{单位名称}{年度}年政府信息公开工作年度报告".
REPORT_TITLE = "{name}{year}年" + FORM_TITLE

PARTS: tuple[Part, ...] = (UNIT, PROACTIVE, CATEGORIES, APPLICATIONS, REVIEW_LITIGATION, FEE_NOTICES, NARRATIVE)
PART_BY_KEY = {part.key: part for part in PARTS}

# --------------------------------------------------------------------------------------------
# Registers: the records kept all year (one row per application, one per published item) that
# the tables are counted from
# --------------------------------------------------------------------------------------------

RegisterKind = Literal["serial", "date", "choice", "text", "money", "yesno"]


@dataclass(frozen=True)
class RegisterColumn:
    """One column of a register.  ``aliases`` are the headers other registers use for it (a
    reader finds columns by header, not position); ``choices`` the list it takes, as
    ``(key, wording)`` — the wording is what a clerk picks from the template's drop-down list."""

    key: str
    label: str
    kind: RegisterKind = "text"
    aliases: tuple[str, ...] = ()
    choices: tuple[tuple[str, str], ...] = ()
    # other words registers use for a choice, as (key, word): "个人" is a 自然人
    choice_aliases: tuple[tuple[str, str], ...] = ()
    prompt: str = ""
    width: float = 12


@dataclass(frozen=True)
class Register:
    """A sheet of records, one row each, under one header row; the template leaves room for
    ``capacity`` rows.  A workbook sheet is the register when its name contains ``marker`` and
    its header row has the register's columns."""

    key: str  # the JSON key: read --json gives the rows as a list under it
    sheet: str
    heading: str
    marker: str
    after: str  # the sheet of the form it follows
    columns: tuple[RegisterColumn, ...]
    capacity: int = 5000

    def column(self, key: str) -> RegisterColumn:
        return next(c for c in self.columns if c.key == key)


def _applicant_choices() -> tuple[tuple[str, str], ...]:
    """Table 三's applicant columns (not its 总计): the ledger's 申请人类型 list."""
    return tuple((c.key, c.label) for c in APPLICATIONS.grids[0].columns if not c.computed)


def outcome_wording(row: Row) -> str:
    """An outcome as the ledger's list words it: its group under 三、本年度办理结果 and its label,
    "（三）不予公开-1.属于国家秘密"; "（一）予以公开" alone."""
    return "-".join((*row.group[1:], row.label))


def _outcome_choices() -> tuple[tuple[str, str], ...]:
    """Table 三's outcomes, the rows under 三、本年度办理结果 that are not its （七）总计."""
    return tuple(
        (r.key, outcome_wording(r)) for r in APPLICATIONS.grids[0].rows if r.group[:1] == (_RESULTS,) and not r.computed
    )


# The ledger's columns that carry the counting, by key.
LEDGER_RECEIVED, LEDGER_ANSWERED = "received", "answered"
LEDGER_APPLICANT, LEDGER_OUTCOME = "applicant", "outcome"
LEDGER_FEE_NOTICE, LEDGER_FEE_AMOUNT, LEDGER_FEE_COLLECTED = "fee_notice", "fee_amount", "fee_collected"
LEDGER_SERIAL = "serial"
YES, NO = "是", "否"

LEDGER = Register(
    key="ledger",
    sheet="依申请公开台账",
    heading="政府信息公开申请办理台账",
    marker="台账",
    after=APPLICATIONS.sheet,
    columns=(
        RegisterColumn(LEDGER_SERIAL, "序号", "serial", ("编号", "申请编号", "登记号"), prompt="本台账中的编号，可留空。", width=7),
        RegisterColumn(LEDGER_RECEIVED, "收到日期", "date", ("申请日期", "受理日期", "收到申请日期", "登记日期", "收件日期"),
                       prompt="收到申请的日期，如2024-03-05。", width=12),
        RegisterColumn(LEDGER_APPLICANT, "申请人类型", "choice", ("申请人类别", "申请人性质", "申请人情况", "申请主体"),
                       _applicant_choices(), prompt="从下拉列表中选择（与表三的申请人栏目相同）。", width=14,
                       choice_aliases=(("natural_person", "个人"), ("natural_person", "公民"), ("commercial", "企业"),
                                       ("other_org", "其他组织"))),
        RegisterColumn("content", "申请内容", "text", ("申请事项", "申请公开内容", "申请信息内容", "所需信息"),
                       prompt="申请公开的信息，简要填写。", width=30),
        RegisterColumn(LEDGER_ANSWERED, "答复日期", "date", ("办结日期", "答复时间", "办结时间", "告知日期"),
                       prompt="作出答复（办结）的日期；尚未答复的留空，计入“结转下年度继续办理”。", width=12),
        RegisterColumn(LEDGER_OUTCOME, "办理结果", "choice", ("答复结果", "处理结果", "答复类型", "办理结果类型", "答复情况"),
                       _outcome_choices(), prompt="答复后从下拉列表中选择（表三“三、本年度办理结果”的各项）；尚未答复的留空。",
                       width=44),
        RegisterColumn(LEDGER_FEE_NOTICE, "是否发出收费通知", "yesno", ("收费通知", "是否收费"),
                       prompt=f"发出信息处理费收费通知的填“{YES}”，否则填“{NO}”或留空。", width=10),
        RegisterColumn(LEDGER_FEE_AMOUNT, f"收费金额（{YUAN}）", "money", ("收费金额", "收费通知金额", "通知金额"),
                       prompt=f"收费通知的金额（{YUAN}），没有的留空。", width=12),
        RegisterColumn(LEDGER_FEE_COLLECTED, f"实收金额（{YUAN}）", "money", ("实收金额", "实际收取金额", "实际收费金额"),
                       prompt=f"实际收取的金额（{YUAN}），没有的留空。", width=12),
        RegisterColumn("note", "备注", "text", ("说明",), prompt="其他需要说明的情况。", width=16),
    ),
)

# How the ledger is counted into the form for report year Y (FORM.md's terms; issue #21):
#   一 new               received in Y
#   二 carried_over      received before Y, not answered before Y
#   三 each outcome      answered in Y with that result
#   四 carried_forward   received by the end of Y, not answered by then
# each in the applicant's column; the fees from the rows answered in Y.
LEDGER_NEW_ROW = "new"
LEDGER_FEES: tuple[tuple[Path, str], ...] = (
    (("fee_notices", "notices_sent"), LEDGER_FEE_NOTICE),
    (("fee_notices", "amount_notified_yuan"), LEDGER_FEE_AMOUNT),
    (("fee_notices", "amount_collected_yuan"), LEDGER_FEE_COLLECTED),
)

PUBLISHED_TITLE, PUBLISHED_DATE, PUBLISHED_CATEGORY = "title", "date", "category"

PUBLISHED = Register(
    key="published",
    sheet="主动公开信息清单",
    heading="主动公开信息清单",
    marker="清单",
    after=CATEGORIES.sheet,
    columns=(
        RegisterColumn(PUBLISHED_TITLE, "标题", "text", ("信息标题", "文章标题", "名称", "信息名称"), prompt="发布的信息的标题。", width=60),
        RegisterColumn(PUBLISHED_DATE, "发布日期", "date", ("发布时间", "公开日期", "公开时间", "日期"), prompt="发布的日期，如2024-03-05。",
                       width=12),
        RegisterColumn(PUBLISHED_CATEGORY, "类别", "choice", ("栏目", "分类", "所属栏目", "信息类别"),
                       tuple((f.key, f.label) for f in CATEGORIES.fields if not f.computed),
                       prompt="从下拉列表中选择（与“主动公开分类”的各类相同）。", width=12),
    ),
)

REGISTERS: tuple[Register, ...] = (PUBLISHED, LEDGER)
REGISTER_BY_KEY = {register.key: register for register in REGISTERS}

# Sheets of the generated workbook, in order.  Parts name their own sheet, each register
# follows the sheet it feeds; these are the rest.
SHEET_INSTRUCTIONS = "填报说明"
SHEET_CHECKS = "校验"


def _sheets() -> tuple[str, ...]:
    names: list[str] = [SHEET_INSTRUCTIONS]
    for sheet in dict.fromkeys(part.sheet for part in PARTS):
        names.append(sheet)
        names.extend(register.sheet for register in REGISTERS if register.after == sheet)
    return (*names, SHEET_CHECKS)


SHEETS: tuple[str, ...] = _sheets()
# A hidden sheet of a template sent out pre-filled (issue #20): which input cells the template
# filled and with what (path, value, source), so that a workbook sent back with nothing else
# filled is 未填写 and a changed carry-over is said.  A sheet rather than a custom property or a
# defined name: it survives WPS and a re-save as .xls/.ods, and calamine reads it with the rest.
SHEET_PREFILLED = "预填记录"
# Its rows for last year's 现行有效件数 (shown beside table 二, not input cells): this prefix and
# table 二's row key ("last_year_in_force.rules").
IN_FORCE_RECORD = "last_year_in_force."

# Warnings beyond arithmetic that name a unit type: only provincial and districted-city
# governments make 规章.
RULE_MAKING_HINTS = ("省人民政府", "自治区人民政府", "市人民政府", "省政府", "市政府", "自治州人民政府")
LOCAL_UNIT_HINTS = ("镇", "乡", "街道", "县", "区")
# State Council departments make 部门规章: names that start like this may report 规章.
NATIONAL_UNIT_PREFIXES = ("中华人民共和国", "国务院", "国家", "中国", "海关总署")
# ... and so may a name ending like this that names no province, city or county ("生态环境部").
NATIONAL_UNIT_SUFFIXES = ("部", "总署", "总局")
# Names ending like this are departments (局、委、办……), which do not make 规章 themselves.
DEPARTMENT_SUFFIXES = ("局", "厅", "委", "委员会", "办", "办公室", "中心", "处", "所", "站", "队", "院")


# Named values the checks talk about, by key (a relabelled or extended form needs no edit elsewhere).
CARRIED_OVER_ROW = "carried_over"  # table 三 二、上年结转 = last year's 四
CARRIED_FORWARD_ROW = "carried_forward"  # table 三 四、结转下年度继续办理
RULES_ROW = "rules"  # 规章: only rule-making governments report it
NORMATIVE_ROW = "normative_documents"
OTHER_OUTCOME_ROW = "other.other"  # （六）3.其他
FEE_UNPAID_ROW = "other.fee_unpaid"
HANDLED_TOTAL_ROW = "handled_total"
# Table 二's 第二十条第（一）项 columns: this year's 现行有效 = last year's + 制发 − 废止.
ISSUED_COLUMN, REPEALED_COLUMN, IN_FORCE_COLUMN = "issued", "repealed", "in_force"
UNIT_NAME: Path = ("unit", "name")
UNIT_YEAR: Path = ("unit", "year")
UNIT_DATE: Path = ("unit", "date")
FEES_SENT: Path = ("fee_notices", "notices_sent")
FEES_NOTIFIED: Path = ("fee_notices", "amount_notified_yuan")
FEES_COLLECTED: Path = ("fee_notices", "amount_collected_yuan")

# Words the forms in use write interchangeably in labels: a reader compares labels with each
# left-hand word read as the right-hand one (a 合计 column is the 总计 column).
SYNONYMS: dict[str, str] = {"合计": "总计"}

# The words for a computed sum, the official one first (总计, 合计): what the template's
# instructions call the cells it computes.
TOTAL_WORDS: tuple[str, ...] = (*SYNONYMS.values(), *SYNONYMS)

# The defined name (and custom property) the template writer stamps every workbook with; the
# reader skips the sheets without values in a workbook that has it.
TEMPLATE_STAMP = "xlsreport_form"
# The defined name of a workbook filled from a published report (``import``, a return package for
# a unit that sent one): it is judged by what the published format holds — a part the published
# report never has (``Part.published == "never"``), left blank there, is not part of it.
PUBLISHED_STAMP = "xlsreport_from_published_report"


def grid_of(grid_part: Part, row: str) -> Grid:
    """The grid of ``grid_part`` that has the row ``row`` (the checks name rows, not positions)."""
    for grid in grid_part.grids:
        if any(r.key == row for r in grid.rows):
            return grid
    raise KeyError(row)


def row_of(grid_part: Part, key: str) -> Row:
    """The row ``key`` of the part's grid that has it."""
    return next(row for row in grid_of(grid_part, key).rows if row.key == key)


def ordinal(label: str) -> str:
    """The short name a clerk uses for a row: "一" for "一、本年新收…", "（七）总计" stays as it is."""
    head, sep, _ = label.partition("、")
    return head if sep and len(head) <= 3 else label


def leaves() -> Iterator[Leaf]:
    """Every value of the form, in form order."""
    for part in PARTS:
        for f in part.fields:
            yield Leaf((part.key, f.key), part, f.label, f.kind, f.computed)
        for grid in part.grids:
            for path, row, column in grid.paths(part.key):
                label = row.label if grid.flat else f"{row.label}/{column.label}"
                yield Leaf(path, part, label, column.kind, row.computed or column.computed, grid, row, column)


LEAVES: tuple[Leaf, ...] = tuple(leaves())
# What is counted in which money unit: (行政事业性收费, 万元), (信息处理费, 元).
MONEY_UNITS: tuple[tuple[str, str], ...] = (
    (row_of(PROACTIVE, "fees_10k_yuan").label, YUAN_10K),
    (FEE_NOTICES.heading.partition("：")[2], YUAN),
)
LEAF_BY_PATH: dict[Path, Leaf] = {leaf.path: leaf for leaf in LEAVES}
NUMERIC_LEAVES: tuple[Leaf, ...] = tuple(leaf for leaf in LEAVES if leaf.kind in ("count", "money"))
INPUT_LEAVES: tuple[Leaf, ...] = tuple(leaf for leaf in NUMERIC_LEAVES if not leaf.computed)


def _grid_identities(part: Part, grid: Grid, prefix: str) -> Iterator[Identity]:
    """Row totals and column totals of a grid, from its computed row and column."""
    scope = part.sheet
    inputs = [c for c in grid.columns if not c.computed]
    for total_col in (c for c in grid.columns if c.computed):
        for row in grid.rows:
            yield Identity(
                rule=f"{prefix}.ROW_TOTAL",
                title=f"{scope}「{row.label}」：各列之和 = {total_col.label}",
                left=tuple((part.key, row.key, c.key) for c in inputs),
                right=((part.key, row.key, total_col.key),),
            )
    for total_row in (r for r in grid.rows if r.computed):
        members = [r for r in grid.rows if r.group[:1] == total_row.group[:1] and r.group and not r.computed]
        for column in grid.columns:
            yield Identity(
                rule=f"{prefix}.COL_TOTAL",
                title=f"{scope}「{column.label}」列：各项办理结果之和 = {total_row.label}",
                left=tuple((part.key, r.key, column.key) for r in members),
                right=((part.key, total_row.key, column.key),),
            )


def identities() -> tuple[Identity, ...]:
    """Every arithmetic identity of the form (FORM.md), derived from the parts above."""
    result: list[Identity] = []
    cat_inputs = [f for f in CATEGORIES.fields if not f.computed]
    result.append(
        Identity(
            rule="CAT.TOTAL",
            title=f"{CATEGORIES.sheet}：各类之和 = 合计",
            left=tuple((CATEGORIES.key, f.key) for f in cat_inputs),
            right=tuple((CATEGORIES.key, f.key) for f in CATEGORIES.fields if f.computed),
        )
    )
    grid = APPLICATIONS.grids[0]
    result.extend(_grid_identities(APPLICATIONS, grid, "T3"))
    for column in grid.columns:
        result.append(
            Identity(
                rule="T3.BALANCE",
                title=f"{APPLICATIONS.sheet}「{column.label}」列：一 + 二 = （七）总计 + 四",
                left=(("applications", "new", column.key), ("applications", CARRIED_OVER_ROW, column.key)),
                right=(
                    ("applications", HANDLED_TOTAL_ROW, column.key),
                    ("applications", CARRIED_FORWARD_ROW, column.key),
                ),
                kind="balance",
            )
        )
    result.extend(_grid_identities(REVIEW_LITIGATION, REVIEW_LITIGATION.grids[0], "T4"))
    return tuple(result)


IDENTITIES: tuple[Identity, ...] = identities()
# Every identity's rule is defined (severity, title, message) in rules.py: a typo fails at import.
for _identity in IDENTITIES:
    assert _identity.rule in RULES, f"identity rule {_identity.rule} is not in rules.RULES"


def _total_sources() -> tuple[tuple[Path, tuple[Path, ...]], ...]:
    """Each computed value with the values its formula adds up (the first identity that has it
    alone on one side), in an order where sources come before the totals that use them."""
    sources: dict[Path, tuple[Path, ...]] = {}
    for identity in IDENTITIES:
        if identity.kind == "total":
            sources.setdefault(identity.right[0], identity.left)
    settled = {leaf.path for leaf in LEAVES if not leaf.computed}
    ordered: list[tuple[Path, tuple[Path, ...]]] = []
    while len(ordered) < len(sources):
        ready = [p for p in sources if p not in settled and all(s in settled for s in sources[p])]
        if not ready:
            raise ValueError("the form's totals depend on each other in a circle")
        for path in ready:
            ordered.append((path, sources[path]))
            settled.add(path)
    return tuple(ordered)


# What the template's formulas compute, in evaluation order: (total, the values it adds up).
TOTAL_SOURCES: tuple[tuple[Path, tuple[Path, ...]], ...] = _total_sources()



def empty_data() -> dict:
    """The JSON shape of FORM.md with every part present and every number 0 (texts None)."""
    data: dict = {"form": FORM_ID}
    for part in PARTS:
        data[part.key] = {}
    for leaf in LEAVES:
        value = 0 if leaf.kind in ("count", "money") else None
        set_path(data, leaf.path, value)
    return data


def get_path(data: dict, path: Path):
    """The value at ``path`` in the JSON shape, or None where the part or key is absent."""
    node = data
    for key in path:
        if not isinstance(node, dict) or key not in node:
            return None
        node = node[key]
    return node


def set_path(data: dict, path: Path, value) -> None:
    node = data
    for key in path[:-1]:
        node = node.setdefault(key, {})
    node[path[-1]] = value


def evaluate_totals(
    value: Callable[[Path], float | int | None], stated: Mapping[Path, float | int] | None = None
) -> dict[Path, float | int | None]:
    """Every computed value of the form from its inputs — the one evaluation of the identities'
    totals, as the template's formulas compute them (the template's cached results, the reader's
    recomputed totals, the checker and the merger all use it).

    ``value(path)`` gives an input (None: unreadable, and so is every total that uses it);
    totals of totals see the totals computed before them.  ``stated`` holds totals a file gave
    otherwise: such a total is taken as stated (the template writes what the file held), and
    the totals above it add it up as stated.
    """
    results: dict[Path, float | int | None] = {}
    for total, sources in TOTAL_SOURCES:
        terms = [results[s] if s in results else value(s) for s in sources]
        computed = None if None in terms else sum(terms)  # type: ignore[arg-type]
        if stated is not None and total in stated:
            given = stated[total]
            computed = given if computed is None or abs(given - computed) > 1e-9 else computed
        results[total] = computed
    return results


def compute_totals(data: dict) -> dict:
    """A copy of ``data`` with every computed value set from its inputs (what the formulas give);
    an input left out counts as 0, parts ``data`` does not hold stay absent."""
    import copy

    out = copy.deepcopy(data)

    def value(path: Path) -> float | int | None:
        return get_path(out, path) or 0 if isinstance(out.get(path[0]), dict) else None

    for path, total in evaluate_totals(value).items():
        if total is not None:
            set_path(out, path, total)
    return out


# --------------------------------------------------------------------------------------------
# What a batch shows: key figures and the merged workbook's extra sheets
# --------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Jump:
    """When a key figure's change since last year is worth a look (``summary --previous``): it
    grew or shrank at least ``ratio`` times and by at least ``min_change``, or went from 0 to at
    least ``from_zero`` (or from that to 0)."""

    ratio: float = 10
    min_change: float = 20
    from_zero: float = 100

    def flags(self, last: float, now: float) -> bool:
        low, high = sorted((abs(last), abs(now)))
        if low == 0:
            return high >= self.from_zero
        return high >= self.ratio * low and high - low >= self.min_change


# The thresholds every key figure uses unless it names its own.
JUMP = Jump()


@dataclass(frozen=True)
class KeyFigure:
    """A headline number a county office compares across its units: the sum of form values."""

    key: str
    label: str
    paths: tuple[Path, ...]
    short: str  # the column heading where the label does not fit (an 80-column terminal)
    jump: Jump | None = JUMP  # a change since last year that is flagged (None: never)

    def value(self, data: dict) -> int | float | None:
        """The figure from a report's JSON shape; None when the file does not hold that part."""
        values = [get_path(data, path) for path in self.paths]
        if any(v is None for v in values):
            return None
        return sum(values)


KEY_FIGURES: tuple[KeyFigure, ...] = (
    KeyFigure("proactive_total", "主动公开合计", (("categories", "total"),), short="主动公开"),
    KeyFigure("new_applications", "本年新收", (("applications", "new", "total"),), short="新收"),
    KeyFigure("handled_total", "办结（七）总计", (("applications", HANDLED_TOTAL_ROW, "total"),), short="办结"),
    KeyFigure("carried_forward", "结转下年度", (("applications", CARRIED_FORWARD_ROW, "total"),), short="结转"),
    KeyFigure("review_total", "复议总计", (("review_litigation", "review", "total"),), short="复议"),
    KeyFigure(
        "litigation_total",
        "诉讼总计",
        (("review_litigation", "litigation_direct", "total"), ("review_litigation", "litigation_after_review", "total")),
        short="诉讼",
    ),
)
for _figure in KEY_FIGURES:  # every path a key figure reads is a value of the form
    for _path in _figure.paths:
        assert _path in LEAF_BY_PATH, _path



def key_figures(data: dict | None) -> dict[str, int | float | None]:
    """Every key figure of one report (or of a merged sum), by key."""
    return {figure.key: (figure.value(data) if data is not None else None) for figure in KEY_FIGURES}


# The sheet a merged workbook opens on, before the form's own: what the workbook is (the county,
# the year, how many units are summed, who was left out and why, who has not reported).
SHEET_OVERVIEW = "汇总说明"
# The sheet an annotated copy (check --annotate, return packages) opens on: its problems.
SHEET_PROBLEMS = "请修改"
# The sheets a merged workbook has after the form's own: one row per input file, every finding,
# the roster's units that sent nothing.
SHEET_DETAILS = "明细"
SHEET_FINDINGS = "问题清单"
SHEET_MISSING = "未报送"
MERGE_SHEETS: tuple[str, ...] = (SHEET_DETAILS, SHEET_FINDINGS, SHEET_MISSING)
# The defined name a merged workbook is stamped with (xlsx): it names the rows of its 明细 sheet
# from the 单位 column (first) to the 状态 column (last), so that a reader finds which units the
# workbook already adds up without parsing its headers back (a batch must not add them twice).
MERGED_STAMP = "xlsreport_merged"
