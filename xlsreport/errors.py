"""Typed errors, and every message they carry, written once: the error catalogue.

Like ``rules.py`` for findings: each ``ErrorKind`` has a stable code (``LIMIT_EXCEEDED.FILE_SIZE``:
the code of its exception class, then its own), the exception class it is raised as (which
decides the exit code: README "退出码"), a title (the README's table of errors) and a Chinese
message template.  A raise site passes the code and the fields, never a finished sentence::

    raise error("LIMIT_EXCEEDED.FILE_SIZE", file=file_label(name), size_mb=..., limit_mb=..., path=name)

The CLI maps every error to its exit code and one Chinese line in one place (``cli._outcome``).
A file that cannot be read becomes a finding whose rule is its class's code (``model.Finding.unreadable``).
"""

from __future__ import annotations

import errno
from dataclasses import dataclass
from enum import IntEnum


class ExitCode(IntEnum):
    """What every command exits with (README "退出码").  A missing input is USAGE, as a mistyped option."""

    OK = 0
    CHECK_FAILED = 1  # check: a file has errors; merge: a file was left out of the sum
    USAGE = 2  # bad arguments, missing input, output exists, bad --from JSON or roster
    UNREADABLE = 3  # an input file could not be read (the others were still processed)
    INTERNAL = 4  # a bug of xlsreport
    INTERRUPTED = 130  # Ctrl-C (128 + SIGINT, as shells report it)
    PIPE_CLOSED = 141  # the reader of our output went away (`| head`): 128 + SIGPIPE, said nowhere


class XlsreportError(Exception):
    """Base of every error xlsreport raises on purpose.  ``str(err)`` is the Chinese message."""

    exit_code: ExitCode = ExitCode.USAGE
    code: str = "ERROR"
    title: str = "用法错误"

    def __init__(self, message: str, *, path: str | None = None, kind: str | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.path = path
        self.kind = kind  # the catalogue's code (ERRORS) when raised through ``error``


class UnreadableWorkbook(XlsreportError):
    """The bytes are not a workbook we can read (empty, random, truncated, wrong kind)."""

    exit_code = ExitCode.UNREADABLE
    code = "UNREADABLE"
    title = "文件无法读取"


class UnsupportedFormat(UnreadableWorkbook):
    """A real file of a kind we do not read (a Word document, a CSV, ...)."""

    code = "UNSUPPORTED_FORMAT"
    title = "不读取的文件格式"


class EncryptedWorkbook(UnreadableWorkbook):
    """Saved with a password to open."""

    code = "ENCRYPTED"
    title = "文件设置了打开密码"


class LimitExceeded(UnreadableWorkbook):
    """Larger than the fixed limits (file size, uncompressed size, cells, sheets): refused, not read."""

    code = "LIMIT_EXCEEDED"
    title = "文件超过读取限制"


class NotAForm(UnreadableWorkbook):
    """A workbook that holds none of the form's tables."""

    code = "NOT_A_FORM"
    title = "文件中没有年度报告的表格"


# The codes of a file that could not be read (its finding's rule: rules.FAILED_READING).
READ_ERROR_CODES: frozenset[str] = frozenset(
    kind.code for kind in (UnreadableWorkbook, UnsupportedFormat, EncryptedWorkbook, LimitExceeded, NotAForm)
)


class OutputExists(XlsreportError):
    """The output exists and --force was not given."""

    exit_code = ExitCode.USAGE
    code = "OUTPUT_EXISTS"
    title = "输出已存在"


class OutputIsInput(XlsreportError):
    """The output path is one of the inputs: refused, so the input cannot be overwritten."""

    exit_code = ExitCode.USAGE
    code = "OUTPUT_IS_INPUT"
    title = "输出会覆盖或混入输入"


class OutputNotWritable(XlsreportError):
    exit_code = ExitCode.USAGE
    code = "OUTPUT_NOT_WRITABLE"
    title = "输出无法写入"


class OutputLocked(XlsreportError):
    """The output could not be replaced: on Windows, a file open in Excel or WPS (WinError 32)."""

    exit_code = ExitCode.USAGE
    code = "OUTPUT_LOCKED"
    title = "输出文件正被其他程序打开"


class InvalidData(XlsreportError):
    """A --from JSON or roster that does not fit the form."""

    exit_code = ExitCode.USAGE
    code = "INVALID_DATA"
    title = "参数或数据有误"


# The operating system's reasons a clerk meets, said in Chinese (strerror is English).
_OS_REASONS = {
    errno.ENOENT: "文件或文件夹不存在",
    errno.ENOTDIR: "路径中有一段不是文件夹",
    errno.EACCES: "没有权限",
    errno.EPERM: "没有权限",
    errno.EISDIR: "这是一个文件夹",
    errno.ENOSPC: "磁盘空间已满",
    errno.EDQUOT: "磁盘配额已用完",
    errno.EROFS: "磁盘或文件夹是只读的",
    errno.ENAMETOOLONG: "文件名太长",
    errno.EEXIST: "已存在同名文件",
    errno.EBUSY: "文件正被其他程序占用",
    errno.EIO: "读写磁盘时出错",
}


def os_reason(exc: OSError) -> str:
    """Why the system refused, in Chinese for the common cases; else the system's own words."""
    return _OS_REASONS.get(exc.errno, exc.strerror or str(exc)) if exc.errno is not None else (exc.strerror or str(exc))


# --------------------------------------------------------------------------------------------
# The catalogue
# --------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class ErrorKind:
    """One error a command can end with (or a file can be refused with): its code, the exception
    class it is raised as, a title for the README and a ``str.format`` message template."""

    code: str
    error: type[XlsreportError]
    title: str
    message: str

    @property
    def exit_code(self) -> ExitCode:
        return self.error.exit_code

    def text(self, **fields: object) -> str:
        return self.message.format(**fields)


E = ErrorKind
_ALL: tuple[ErrorKind, ...] = (
    # ---- UnreadableWorkbook (UNREADABLE) ----------------------------------------------------
    E("UNREADABLE.PDF_EMPTY_PAGES", UnreadableWorkbook, "PDF 的页面目录中没有页面",
      "文件 {name} 是 PDF，但页面目录中没有页面，无法读取：请重新导出 PDF 再试。"),
    E("UNREADABLE.PDF_NO_PAGES", UnreadableWorkbook, "PDF 没有页面目录",
      "文件 {name} 是 PDF，但没有页面目录（/Pages），无法读取：请重新导出 PDF 再试。"),
    E("UNREADABLE.PDF_CONTENT_CYCLE", UnreadableWorkbook, "PDF 的页面内容循环引用",
      "文件 {name} 是 PDF，但文件结构异常（第 {number} 页的页面内容循环引用），无法读取：请重新导出 PDF 再试。"),
    E("UNREADABLE.DOCUMENT_RECURSION", UnreadableWorkbook, "文档结构嵌套过深或循环引用",
      "文件 {name} 是{what}，但结构嵌套过深或循环引用，无法读取：请重新导出再试。"),
    E("UNREADABLE.DOCUMENT_WORKER", UnreadableWorkbook, "读取文档的解析程序异常终止",
      "文件 {name} 是{what}，读取它的解析程序异常终止（{value}），无法读取：文件可能异常，请重新导出再试。"),
    E("UNREADABLE.DOCUMENT_PARSER", UnreadableWorkbook, "文档的解析程序报告内容异常",
      "文件 {name} 是{what}，但内容异常，无法读取（{reason}）：请重新导出再试。"),
    E("UNREADABLE.DOCX_DTD", UnreadableWorkbook, "Word 文档的正文含有文档类型声明（DTD）",
      "文件 {name} 中的 {member} 含有文档类型声明（DTD），Word 和 WPS 保存的文件中从不出现，可能是恶意构造的文件（实体攻击），已拒绝读取：请向报送单位索取用 Word 或 WPS 重新保存的文件。"),
    E("UNREADABLE.PREVIOUS_NONE", UnreadableWorkbook, "上年报告都无法读取", "上年报告无法读取：{file} — {reason}"),
    E("UNREADABLE.LEDGER_NOT_FOUND", UnreadableWorkbook, "找不到台账文件", "找不到文件 {name}：请检查文件名和路径。"),
    E("UNREADABLE.LEDGER_IS_FOLDER", UnreadableWorkbook, "台账文件是一个文件夹", "{name} 是文件夹，不是文件。"),
    E("UNREADABLE.LEDGER_CANNOT_OPEN", UnreadableWorkbook, "无法打开台账文件", "无法读取文件 {name}（{reason}）。"),
    E("UNREADABLE.CSV_ENCODING", UnreadableWorkbook, "CSV 文件的文字编码无法识别",
      "文件 {name} 不是 UTF-8 或 GBK 编码的文本（也不是带字节顺序标记的 UTF-16），无法按 CSV 读取：请在 Excel 或 WPS 中另存为“CSV UTF-8”再试。"),
    E("UNREADABLE.CSV_SYNTAX", UnreadableWorkbook, "CSV 文件无法按 CSV 拆分",
      "文件 {name} 第 {line} 行无法按 CSV 拆分（{reason}），已停止读取：请在 Excel 或 WPS 中打开检查后另存为 CSV 再试。"),
    E("UNREADABLE.ANNOTATE_UNREADABLE", UnreadableWorkbook, "无法读取的文件不能生成标注副本", "{file} 无法读取，不能生成标注副本：{reason}"),
    E("UNREADABLE.DOCX_NO_BODY", UnreadableWorkbook, "Word 文档没有正文", "文件 {name} 是 Word 文档，但没有正文：请用 Word 或 WPS 打开检查后另存再试。"),
    E("UNREADABLE.DOCX_CORRUPT_MEMBER", UnreadableWorkbook, "Word 文档的正文部件无法解压",
      "文件 {name} 是 Word 文档，但已损坏或不完整（{member} 无法解压）：请用 Word 或 WPS 打开后另存再试。"),
    E("UNREADABLE.DOCX_CORRUPT_BODY", UnreadableWorkbook, "Word 文档的正文已损坏",
      "文件 {name} 是 Word 文档，但正文已损坏（{reason}）：请用 Word 或 WPS 打开后另存再试。"),
    E("UNREADABLE.HTML_ENTITY", UnreadableWorkbook, "网页中声明了实体",
      "文件 {name} 是网页，但其中声明了实体（<!ENTITY），正常网页从不这样写，可能是恶意构造的文件，已拒绝读取。"),
    E("UNREADABLE.HTML_UNPARSABLE", UnreadableWorkbook, "网页无法解析",
      "文件 {name} 是网页，但内容无法解析（{reason}）：请重新保存网页再试。"),
    E("UNREADABLE.PDF_CORRUPT", UnreadableWorkbook, "PDF 已损坏，无法打开",
      "文件 {name} 是 PDF，但已损坏或不完整（{reason}），无法打开：请重新下载，或请报送单位重新发送。"),
    E("UNREADABLE.PDF_CORRUPT_PAGES", UnreadableWorkbook, "PDF 的页面目录已损坏",
      "文件 {name} 是 PDF，但页面目录已损坏（{what}），无法读取：请重新下载，或请报送单位重新发送。"),
    E("UNREADABLE.PDF_CORRUPT_PAGE", UnreadableWorkbook, "PDF 的某一页已损坏",
      "文件 {name} 是 PDF，但第 {number} 页已损坏（{reason}），无法读取：请重新导出 PDF 再试。"),
    E("UNREADABLE.NOT_FOUND", UnreadableWorkbook, "找不到文件", "找不到文件 {name}：请检查文件名和路径。"),
    E("UNREADABLE.IS_FOLDER", UnreadableWorkbook, "给出的是文件夹，不是文件", "{name} 是文件夹，不是文件。"),
    E("UNREADABLE.NO_PERMISSION", UnreadableWorkbook, "没有权限读取文件", "没有权限读取文件 {name}：请检查文件权限，或先关闭正在打开它的程序。"),
    E("UNREADABLE.OS_ERROR", UnreadableWorkbook, "系统无法读取文件", "无法读取文件 {name}（{reason}）。"),
    E("UNREADABLE.CORRUPT_MEMBER", UnreadableWorkbook, "压缩包中的部件无法解压",
      "{file}已损坏或不完整（压缩包中的 {member} 无法解压）："
      "请重新下载，或请报送单位重新发送；如果文件能在 Excel 或 WPS 中打开，请另存为新的 .xlsx 再试。"),
    E("UNREADABLE.EMPTY", UnreadableWorkbook, "空文件", "{file}是空文件（0 字节）：请重新导出或向报送单位索取完整文件。"),
    E("UNREADABLE.UNKNOWN_CONTENT", UnreadableWorkbook, "内容无法识别",
      "{file}的内容无法识别：本工具读取 {readable}，它不是其中任何一种，可能已损坏；请重新下载，或请报送单位重新发送。"),
    E("UNREADABLE.CORRUPT_ZIP", UnreadableWorkbook, "压缩包结构无法读取（下载中断等）",
      "{file}已损坏或不完整（压缩包结构无法读取，常见于下载中断或复制未完成）：请重新下载，或请报送单位重新发送。"),
    E("UNREADABLE.DTD", UnreadableWorkbook, "文件含有文档类型声明（DTD）",
      "{file}中的 {member} 含有文档类型声明（DTD），{program} 和 LibreOffice 保存的文件中从不出现，可能是恶意构造的文件（实体攻击），已拒绝读取：请向报送单位索取用 {app} 或 WPS 重新保存的文件。"),
    E("UNREADABLE.LONG_PROLOG", UnreadableWorkbook, "正文之前的声明或注释过长",
      "{file}中的 {member} 在正文之前有超过 {limit_kb} KB 的声明或注释，不是正常的表格文件，已拒绝读取："
      "请用 Excel 或 WPS 打开后另存为新的 .xlsx 再试。"),
    E("UNREADABLE.CORRUPT_OLE", UnreadableWorkbook, "OLE 复合文档目录无法读取", "{file}已损坏或不完整（OLE 复合文档目录无法读取）：请重新下载，或请报送单位重新发送。"),
    E("UNREADABLE.CALAMINE", UnreadableWorkbook, "读取程序无法读取工作簿",
      "文件 {name} 无法读取（文件已损坏或不完整；读取程序的原话：{detail}）：请用 Excel 或 WPS 打开检查，另存后再试。"),
    E("UNREADABLE.CORRUPT_ZIP_SHORT", UnreadableWorkbook, "压缩包结构无法读取", "文件 {name} 已损坏或不完整（压缩包结构无法读取）：请重新下载。"),
    E("UNREADABLE.LONG_TOKEN", UnreadableWorkbook, "单个标记或文字过长",
      "文件 {name} 中的 {member} 有超过 {limit_mb} MB 的单个标记或文字，不是正常的表格文件，已拒绝读取："
      "请用 Excel 或 WPS 打开后另存为新的 .xlsx 再试。"),
    E("UNREADABLE.CORRUPT_OLE_STREAM", UnreadableWorkbook, "OLE 复合文档中的流无法读取",
      "文件 {name} 已损坏或不完整（OLE 复合文档中的 {stream_name} 流无法读取）：请重新下载，或请报送单位重新发送。"),
    E("UNREADABLE.TEXT_ENCODING", UnreadableWorkbook, "文本的文字编码无法识别",
      "文件 {name} 的文字编码无法识别（不是 UTF-8，也不是 GBK/GB18030）：请用记事本或 WPS 打开后另存为 UTF-8 编码再试。"),
    E("UNREADABLE.CANNOT_OPEN", UnreadableWorkbook, "系统无法打开文件", "无法打开文件 {name}：{reason}。"),
    E("UNREADABLE.NOTHING_READ", UnreadableWorkbook, "没有读出任何内容", "无法读取该文件。"),
    E("UNREADABLE.AS_READ", UnreadableWorkbook, "读取时的错误，原样转述", "{reason}"),
    E("UNREADABLE.ANNOTATE_NO_REPORT", UnreadableWorkbook, "没有读出内容的文件不能生成标注副本", "{file} 无法读取，不能生成标注副本。"),
    # ---- UnsupportedFormat (UNSUPPORTED_FORMAT) ---------------------------------------------
    E("UNSUPPORTED_FORMAT.LEDGER_DOCUMENT", UnsupportedFormat, "台账文件是文档而不是表格",
      "文件 {name} 是{kind}，不是表格：台账请给出 xlsx、xls、ods 或 CSV 文件。"),
    E("UNSUPPORTED_FORMAT.LEDGER_INTO_DOCUMENT", UnsupportedFormat, "--into 是已发布的报告而不是工作簿",
      "--into 应是年度报告工作簿（xlsx、xls、ods），{name} 是已发布的报告。"),
    E("UNSUPPORTED_FORMAT.TRIAL_FORMAT_IMPORT", UnsupportedFormat, "2019 年试行格式的报告不能导入",
      "文件 {name} 是 2019 年试行格式（{trial_basis}）的报告，其表二、表三的栏目与现行格式{basis}不同，不能导入现行格式的工作簿：请按现行格式重新填报。"),
    E("UNSUPPORTED_FORMAT.DOCUMENT_WITHOUT_TABLES", UnsupportedFormat, "已发布的报告中没有年度报告的表格",
      "文件 {name} 是{what}，但其中没有找到年度报告的表格{hint}："
      "如果表格是图片或扫描件，本工具无法读取（不做文字识别），请向报送单位索取带表格的 Word、网页或 Excel 版本。"),
    E("UNSUPPORTED_FORMAT.PDF_WITHOUT_TEXT", UnsupportedFormat, "PDF 没有文字层（扫描件）",
      "文件 {name} 是没有文字层的 PDF（扫描件或图片），本工具不做文字识别（OCR），无法读取："
      "请向报送单位索取 Word、网页或 Excel 版本，或由原文件直接导出的 PDF。"),
    E("UNSUPPORTED_FORMAT.ZIP", UnsupportedFormat, "普通压缩包（zip）", "{file}是一个普通压缩包（zip），不是工作簿或 Word 文档：请解压后逐个提交其中的报表文件。"),
    E("UNSUPPORTED_FORMAT.OPENDOCUMENT_OTHER", UnsupportedFormat, "不是电子表格的 OpenDocument 文档",
      "{file}是 OpenDocument 文档（{mime}），不是电子表格。"),
    E("UNSUPPORTED_FORMAT.XLSB", UnsupportedFormat, "Excel 二进制工作簿（.xlsb）",
      "{file}是 Excel 二进制工作簿（.xlsb），不予读取：请用 Excel 或 WPS 打开后另存为 Excel 工作簿（.xlsx）再试。"),
    E("UNSUPPORTED_FORMAT.DOC", UnsupportedFormat, "Word 97-2003 文档（.doc）",
      "{file}是 Word 97-2003 文档（.doc），本工具不直接读取：请用 Word 或 WPS 打开后“另存为” Word 文档（.docx）再试。"),
    E("UNSUPPORTED_FORMAT.IMAGE", UnsupportedFormat, "图片", "{file}是图片，不是年度报告：本工具读取 {readable}，不识别图片中的文字；请提交报告的原文件。"),
    E("UNSUPPORTED_FORMAT.MHT", UnsupportedFormat, "单个文件网页（.mht）",
      "{file}是“单个文件网页”（.mht），本工具不直接读取："
      "请用 Word 或 WPS 打开后“另存为” Word 文档（.docx），表格则另存为 Excel 工作簿（.xlsx）再试。"),
    E("UNSUPPORTED_FORMAT.RTF", UnsupportedFormat, "RTF 文档", "{file}是 RTF 文档，本工具不直接读取：请用 Word 或 WPS 打开后“另存为” Word 文档（.docx）再试。"),
    E("UNSUPPORTED_FORMAT.CSV", UnsupportedFormat, "CSV 文本文件", "{file}是 CSV 文本文件，不是 Excel 工作簿：请用 Excel 或 WPS 打开后“另存为” .xlsx 再试。"),
    E("UNSUPPORTED_FORMAT.ODT", UnsupportedFormat, "OpenDocument 文字文档（.odt）",
      "{file}是 OpenDocument 文字文档（.odt），不是电子表格：请提交年度报告的 Excel 表格。"),
    E("UNSUPPORTED_FORMAT.PPTX", UnsupportedFormat, "PowerPoint 演示文稿（.pptx）",
      "{file}是 PowerPoint 演示文稿（.pptx），不是年度报告：本工具读取 {readable}。"),
    E("UNSUPPORTED_FORMAT.PPT", UnsupportedFormat, "PowerPoint 演示文稿（.ppt）",
      "{file}是 PowerPoint 演示文稿（.ppt），不是年度报告：本工具读取 {readable}。"),
    E("UNSUPPORTED_FORMAT.OLE_OTHER", UnsupportedFormat, "既不是 Excel 也不是 Word 的 OLE 复合文档",
      "{file}是 OLE 复合文档，但既不是 Excel 工作簿，也不是 Word 文档：请用 Excel 或 WPS 打开后“另存为” Excel 工作簿（.xlsx）再试。"),
    E("UNSUPPORTED_FORMAT.SPREADSHEETML", UnsupportedFormat, "Excel 2003 XML 表格（SpreadsheetML）",
      "{file}是 Excel 2003 XML 表格（SpreadsheetML），本工具不直接读取："
      "请用 Excel 或 WPS 打开后“另存为” Excel 工作簿（.xlsx）再试。"),
    # ---- EncryptedWorkbook (ENCRYPTED) ------------------------------------------------------
    E("ENCRYPTED.PDF", EncryptedWorkbook, "PDF 设置了打开密码",
      "文件 {name} 是 PDF，但已加密（设置了打开密码），无法读取：请报送单位发送不带密码的 PDF。"),
    E("ENCRYPTED.PASSWORD", EncryptedWorkbook, "设置了打开密码", "{file}已加密（设置了打开密码），无法读取：请打开文件后另存为不带密码的文件再提交。"),
    # ---- LimitExceeded (LIMIT_EXCEEDED) -----------------------------------------------------
    E("LIMIT_EXCEEDED.HTML_TABLE_GRID", LimitExceeded, "网页中一个表格的大小超过上限",
      "文件 {name} 是网页，但其中的表格有 {rows} 行 × {width} 列，超过表格大小上限（行数 × 最宽一行的列数，不超过 {limit} 个单元格位置），已拒绝读取。"),
    E("LIMIT_EXCEEDED.DOCX_TABLE_GRID", LimitExceeded, "Word 文档中一个表格的大小超过上限",
      "文件 {name} 是 Word 文档，但其中的表格有 {rows} 行 × {width} 列，超过表格大小上限（行数 × 最宽一行的列数，不超过 {limit} 个单元格位置），已拒绝读取。"),
    E("LIMIT_EXCEEDED.TEXT_LINE_LENGTH", LimitExceeded, "文本一行的长度超过上限",
      "文件 {name} 中有一行超过 {limit} 个字符，超过每行长度上限，已拒绝读取：年度报告的一段文字只有几千字。"),
    E("LIMIT_EXCEEDED.MEMBER_SIZE", LimitExceeded, "压缩包中的部件解压后超过上限",
      "{file}{what}中的 {filename} 解压后超过 {limit_mb} MB，超过上限，已拒绝读取：正常的年度报告远小于此（文件异常，可能是“压缩炸弹”）。"),
    E("LIMIT_EXCEEDED.PDF_CONTENT_SIZE", LimitExceeded, "PDF 页面内容解压后超过上限",
      "文件 {name} 是 PDF，但第 {number} 页的内容解压后超过 {limit_mb} MB，超过上限（可能是“压缩炸弹”），已拒绝读取。"),
    E("LIMIT_EXCEEDED.PDF_PAGE_OBJECTS", LimitExceeded, "PDF 一页的图形数超过上限",
      "文件 {name} 是 PDF，但第 {number} 页有超过 {limit} 个图形（线条、方框、图片），超过上限，已拒绝读取：文件可能异常。"),
    E("LIMIT_EXCEEDED.PDF_PAGE_CHARACTERS", LimitExceeded, "PDF 一页的字符数超过上限",
      "文件 {name} 是 PDF，但第 {number} 页有超过 {limit} 个字符，超过上限，已拒绝读取：文件可能异常。"),
    E("LIMIT_EXCEEDED.PDF_PAGE_TREE", LimitExceeded, "PDF 页面目录中的页数超过上限",
      "文件 {name} 的页数超过上限 {limit} 页，已拒绝读取。"),
    E("LIMIT_EXCEEDED.DOCUMENT_TIME", LimitExceeded, "读取文档超过时间限制",
      "文件 {name} 是{what}，读取超过时间限制（{seconds:g} 秒），已停止读取：文件可能异常，请重新导出再试。"),
    E("LIMIT_EXCEEDED.DOCUMENT_MEMORY", LimitExceeded, "读取文档时超过内存上限",
      "文件 {name} 是{what}，读取时超过内存上限（{limit_mb} MB），已停止读取：文件可能异常，请重新导出再试。"),
    E("LIMIT_EXCEEDED.HTML_GRID", LimitExceeded, "网页的表格大小超过上限",
      "文件 {name} 是网页，但其中的表格共有 {rows} 行，超过表格大小上限（不超过 {limit} 个单元格位置），已拒绝读取。"),
    E("LIMIT_EXCEEDED.DOCX_GRID", LimitExceeded, "Word 文档的表格大小超过上限",
      "文件 {name} 是 Word 文档，但其中的表格共有 {rows} 行，超过表格大小上限（不超过 {limit} 个单元格位置），已拒绝读取。"),
    E("LIMIT_EXCEEDED.DOCUMENT_TABLES", LimitExceeded, "文档的表格数超过上限", "文件 {name} 的{what}有超过 {limit} 个表格，超过上限，已拒绝读取：年度报告只有几个表格。"),
    E("LIMIT_EXCEEDED.DOCUMENT_CELLS", LimitExceeded, "文档表格的单元格数超过上限", "文件 {name} 的{what}表格超过 {limit} 个单元格（含合并单元格），已拒绝读取。"),
    E("LIMIT_EXCEEDED.DOCX_NESTING", LimitExceeded, "Word 文档的嵌套层数超过上限", "文件 {name} 是 Word 文档，但表格或内容控件嵌套超过 {limit} 层，已拒绝读取。"),
    E("LIMIT_EXCEEDED.HTML_NESTING", LimitExceeded, "网页的嵌套层数超过上限", "文件 {name} 是网页，但元素嵌套超过 {limit} 层，不是正常的网页，已拒绝读取。"),
    E("LIMIT_EXCEEDED.PDF_PAGES", LimitExceeded, "PDF 页数超过上限",
      "文件 {name} 有 {count} 页，超过上限 {limit} 页，已拒绝读取。"),
    E("LIMIT_EXCEEDED.PDF_TIME", LimitExceeded, "PDF 读取用时超过上限",
      "文件 {name} 读到第 {number} 页已用时超过 {seconds:.0f} 秒，超过上限，已停止读取：文件可能异常，请重新导出 PDF 再试。"),
    E("LIMIT_EXCEEDED.FILE_SIZE", LimitExceeded, "文件大小超过上限",
      "{file}大小为 {size_mb:.1f} MB，超过上限 {limit_mb} MB：年度报告表格通常只有几十 KB，请删除图片等无关内容后另存再试。"),
    E("LIMIT_EXCEEDED.UNCOMPRESSED", LimitExceeded, "压缩包解压后的大小超过上限",
      "{file}解压后共 {size_mb:.0f} MB，超过上限 {limit_mb} MB：文件异常（可能是“压缩炸弹”），已拒绝读取。"),
    E("LIMIT_EXCEEDED.COMPRESSION_RATIO", LimitExceeded, "压缩比超过上限",
      "{file}中的 {member} 压缩比异常（{size} 字节压缩为 {compressed} 字节，超过 {limit} 倍）：文件异常（可能是“压缩炸弹”），已拒绝读取。"),
    E("LIMIT_EXCEEDED.DOCX_MEMBERS", LimitExceeded, "Word 文档的部件数超过上限",
      "{file}是 Word 文档，但压缩包内有 {members} 个部件，超过上限 {limit} 个：文件异常，已拒绝读取。"),
    E("LIMIT_EXCEEDED.SHEETS", LimitExceeded, "工作表数超过上限", "文件 {name} 有 {sheets} 个工作表，超过上限 {limit} 个，已拒绝读取。"),
    E("LIMIT_EXCEEDED.CELL_OUTSIDE_GRID", LimitExceeded, "单元格位置超出表格范围",
      "文件 {name} 的{where}有单元格位于{at}，超出了 {grid} 表格的范围（最多 {rows} 行、{columns} 列）："
      "文件已损坏或是恶意构造的，已拒绝读取。请向报送单位索取用 Excel 或 WPS 重新保存的文件。"),
    E("LIMIT_EXCEEDED.SHEET_EXTENT", LimitExceeded, "工作表的范围超过单元格上限",
      "文件 {name} 的{where}有内容延伸到 {corner} 单元格（{at}，共 {rows} 行 × {columns} 列），超过每表 {limit} 个单元格的上限，"
      "已拒绝读取：请在 Excel 或 WPS 中按 Ctrl+End 找到最后一个有内容的单元格，删除多余的行列后另存再试。"),
    E("LIMIT_EXCEEDED.SHEET_CELLS", LimitExceeded, "工作表的单元格数超过上限",
      "文件 {name} 的工作表「{sheet_name}」有 {rows} 行 × {columns} 列，超过每表 {limit} 个单元格的上限：请删除无关数据后另存再试。"),
    E("LIMIT_EXCEEDED.CSV_ROWS", LimitExceeded, "CSV 台账的行数超过上限",
      "文件 {name} 超过 {limit} 行，超过上限，已拒绝读取：台账或清单只有几千条记录。"),
    E("LIMIT_EXCEEDED.CSV_LINE_LENGTH", LimitExceeded, "CSV 台账一行的长度超过上限",
      "文件 {name} 中有一行超过 {limit} 个字符，超过每行长度上限，已拒绝读取：台账或清单的一条记录只有几百字。"),
    E("LIMIT_EXCEEDED.CSV_CELLS", LimitExceeded, "CSV 台账的单元格数超过上限",
      "文件 {name} 中有内容的单元格超过 {limit} 个，超过上限（与工作表相同），已拒绝读取：台账或清单只有几千条记录。"),
    E("LIMIT_EXCEEDED.TEXT_LINES", LimitExceeded, "文本行数超过上限",
      "文件 {name} 有 {count} 行，超过上限 {limit} 行，已拒绝读取。"),
    # ---- NotAForm (NOT_A_FORM) --------------------------------------------------------------
    E("NOT_A_FORM.NO_TABLE", NotAForm, "工作簿中没有年度报告的表格",
      "文件 {name} 中没有找到年度报告表格（按{basis}的栏目名称查找，共查看了 {sheets} 个工作表）：请确认提交的是年度报告的 Excel 表格。"),
    # ---- InvalidData (INVALID_DATA) ---------------------------------------------------------
    E("INVALID_DATA.JSON_NOT_OBJECT", InvalidData, "数据文件不是一个 JSON 对象",
      "数据文件 {name} 的内容应是一个 JSON 对象（与 xlsreport read --json 的输出相同）。"),
    E("INVALID_DATA.DATA_NOT_FOUND", InvalidData, "找不到数据文件", "找不到数据文件 {name}。"),
    E("INVALID_DATA.DATA_ENCODING", InvalidData, "数据文件不是 UTF-8 编码",
      "数据文件 {name} 不是 UTF-8 编码的文本（第 {byte} 个字节起无法解码）："
      "它应是 UTF-8 编码的 JSON 文件（与 xlsreport read --json 的输出相同）。"),
    E("INVALID_DATA.DATA_UNREADABLE", InvalidData, "无法读取数据文件", "无法读取数据文件 {name}（{reason}）。"),
    E("INVALID_DATA.JSON_SYNTAX", InvalidData, "数据文件不是有效的 JSON", "数据文件 {name} 不是有效的 JSON（第 {line} 行第 {column} 列：{reason}）。"),
    E("INVALID_DATA.YEAR_FORMAT", InvalidData, "年度不是四位数字", "{option} 应为四位数字年份，如 2024，收到的是 {value!r}。"),
    E("INVALID_DATA.YEAR_RANGE", InvalidData, "年度超出范围", "{option} 应在 {year_min}—{year_max} 之间，收到的是 {year}。"),
    E("INVALID_DATA.INPUT_NOT_FOUND", InvalidData, "找不到输入文件或文件夹", "找不到输入文件或文件夹 {name}：请检查文件名和路径。"),
    E("INVALID_DATA.NO_INPUT", InvalidData, "没有给出输入文件", "没有给出要处理的报表文件。"),
    E("INVALID_DATA.LEDGER_NO_HEADER", InvalidData, "台账文件中没有找到台账的表头",
      "文件 {name} 中没有找到「{heading}」：需要一行表头，至少有{required}这几列（也认{synonyms}等写法）。"),
    E("INVALID_DATA.LEDGER_NOTHING_GIVEN", InvalidData, "ledger 没有给出台账或清单", "请给出台账文件，或用 --published 给出主动公开信息清单。"),
    E("INVALID_DATA.LEDGER_NO_YEAR", InvalidData, "ledger 不知道报告年度",
      "请用 --year 给出报告年度（如 --year 2024）：台账按报告年度的1月1日至12月31日统计。"),
    E("INVALID_DATA.REGISTER_NOT_LIST", InvalidData, "数据中的台账或清单不是记录的列表",
      "数据有误：「{heading}」（{key}）应为记录（对象）的列表或 null。"),
    E("INVALID_DATA.REGISTER_TOO_LONG", InvalidData, "台账或清单超过模板的容量",
      "「{heading}」有 {count} 条记录，模板的“{sheet}”最多容纳 {capacity} 条。"),
    E("INVALID_DATA.PREFILL_PATH", InvalidData, "预填的位置不在表式中", "预填的位置不是表式中的填报项：{path_shown}。"),
    E("INVALID_DATA.ROSTER_NO_UNITS", InvalidData, "给出的单位名单为空", "单位名单中没有单位。"),
    E("INVALID_DATA.AGAINST_MANY", InvalidData, "--against 只能与一个文件比对",
      "--against 只能与一个文件比对，给出的输入中有 {count} 个报表文件。"),
    E("INVALID_DATA.AGAINST_UNFILLED", InvalidData, "--against 给出的工作簿未填写",
      "{name} 是未填写的表格（空白模板，或下发后除预填内容外什么也没填），没有可以与已发布的报告核对的数字。"),
    E("INVALID_DATA.SHORT_TEXT_TOO_LONG", InvalidData, "文字超过模板允许的长度",
      "{where} 有 {length} 个字符，超过模板允许的 {text_max} 个字符（填报时 Excel 也会拒绝），请缩短。"),
    E("INVALID_DATA.FOLDER_FOR_ONE_FILE", InvalidData, "只处理一个文件的命令收到了文件夹",
      "{name} 是一个文件夹：这条命令只处理一个文件；校验或汇总整个文件夹请用 check、summary 或 merge。"),
    E("INVALID_DATA.FOLDER_WITHOUT_REPORTS", InvalidData, "文件夹中没有报表文件", "文件夹 {name} 中没有找到报表文件（{suffixes}）{found}。"),
    E("INVALID_DATA.GLOB_WITHOUT_REPORTS", InvalidData, "通配符没有匹配到报表文件", "没有与 {item} 匹配的报表文件（{suffixes}）{found}。"),
    E("INVALID_DATA.MERGE_UNIT_MISSING", InvalidData, "merge 没有给出汇总单位名称", "请给出汇总单位名称（例如：某某县人民政府）。"),
    E("INVALID_DATA.RENDER_FORMAT", InvalidData, "不支持的报告格式", "不支持的报告格式 {fmt!r}：只能是 docx 或 html。"),
    E("INVALID_DATA.DUE_DATE", InvalidData, "--due 不是日期", "--due 的值“{text}”不是日期：请写成 2025-03-31 或 2025年3月31日。"),
    E("INVALID_DATA.ROSTER_ENCODING", InvalidData, "单位名单的文字编码无法识别",
      "单位名单 {name} 无法识别文字编码：请另存为 UTF-8 或 GB18030 编码的文本文件，每行一个单位名称。"),
    E("INVALID_DATA.ROSTER_EMPTY", InvalidData, "单位名单中没有单位名称", "单位名单 {source} 中没有单位名称：每行（或第一列每格）应填一个单位名称。"),
    E("INVALID_DATA.ROSTER_SPREADSHEET", InvalidData, "单位名单无法作为电子表格读取", "单位名单 {name} 无法作为电子表格读取：{reason}"),
    E("INVALID_DATA.ROSTER_IS_FOLDER", InvalidData, "单位名单是一个文件夹", "单位名单 {source} 是一个文件夹：请给出名单文件。"),
    E("INVALID_DATA.ROSTER_TOO_LARGE", InvalidData, "单位名单过大", "单位名单 {source} 过大（{size} 字节）：请确认选择了正确的文件。"),
    E("INVALID_DATA.ROSTER_NOT_FOUND", InvalidData, "找不到单位名单", "找不到单位名单文件 {source}。"),
    E("INVALID_DATA.ROSTER_NO_PERMISSION", InvalidData, "无权读取单位名单", "无权读取单位名单文件 {source}。"),
    E("INVALID_DATA.ROSTER_IS_REPORT", InvalidData, "单位名单是一份年度报告工作簿",
      "单位名单 {name} 是一份年度报告工作簿（填报模板、单位报表或汇总工作簿），不是单位名单：请给出每行一个单位名称的文本文件，"
      "或有一列单位名称的 Excel 表格。"),
    E("INVALID_DATA.ROSTER_NOT_TEXT", InvalidData, "单位名单不是文本文件", "单位名单 {source} 不是文本文件：请使用每行一个单位名称的文本文件，或第一列为单位名称的 Excel 表格。"),
    E("INVALID_DATA.YEARS_TIED", InvalidData, "文件分属不同年度，无法确定汇总哪一年",
      "这些文件分属不同年度（{listed}），无法确定汇总哪一年：请用 --year 指定报告年度，如 --year {year}。"),
    E("INVALID_DATA.OUTPUT_SUFFIX", InvalidData, "输出文件的扩展名不对", "输出文件名 {name} 应以 {wanted} 结尾：生成的文件是{what}，换用别的扩展名，打开时会认错格式。"),
    E("INVALID_DATA.NOT_A_NUMBER", InvalidData, "数据：应为数字", "数据有误：{where} 应为数字，实际是 {value!r}。"),
    E("INVALID_DATA.NOT_FINITE", InvalidData, "数据：应为有限的数字", "数据有误：{where} 应为有限的数字，实际是 {value!r}。"),
    E("INVALID_DATA.NEGATIVE", InvalidData, "数据：不能为负数", "数据有误：{where} 不能为负数，实际是 {value!r}。"),
    E("INVALID_DATA.YEAR_OUT_OF_RANGE", InvalidData, "数据：年份超出范围", "数据有误：{where} 应为 {year_min}—{year_max} 之间的年份，实际是 {value!r}。"),
    E("INVALID_DATA.NOT_TEXT", InvalidData, "数据：应为文字", "数据有误：{where} 应为文字，实际是 {value!r}。"),
    E("INVALID_DATA.IMPORT_TEXT_TOO_LONG", InvalidData, "要导入的报告中一段文字超过一个单元格的上限",
      "文件 {name} 的{heading}「{label}」有 {length} 个字符，超过工作簿一个单元格的上限 {prose_max} 个，无法导入：请确认文件是否异常，或把这段文字删短后再导入。"),
    E("INVALID_DATA.TEXT_TOO_LONG", InvalidData, "数据：文字超过一个单元格的上限", "数据有误：{where} 有 {length} 个字符，一个单元格最多 {prose_max} 个。"),
    E("INVALID_DATA.NOT_AN_OBJECT", InvalidData, "数据：应为 JSON 对象", "数据有误：应为 JSON 对象（各部分的字典），实际是 {type_name}。"),
    E("INVALID_DATA.FORM_ID", InvalidData, "数据：表式标识不符", "数据有误：表式标识为 {stated!r}，本模板只支持 {form_id}。"),
    E("INVALID_DATA.ANNOTATION_PATHS", InvalidData, "标注的位置不在表式中", "标注的位置不在表式中：{paths}。"),
    E("INVALID_DATA.NOT_WHOLE", InvalidData, "数据：件数应为整数", "数据有误：{where} 是件数，应为整数，实际是 {value!r}。"),
    E("INVALID_DATA.PART_NOT_OBJECT", InvalidData, "数据：部分应为对象或 null", "数据有误：「{heading}」（{key}）应为对象或 null，实际是 {node!r}。"),
    E("INVALID_DATA.SHEET_NAME", InvalidData, "工作表名不可用", "工作表名 {name!r} 不可用：应为1—31个字符，且不含 [ ] : * ? / \\ 。"),
    E("INVALID_DATA.SHEET_NAME_TWICE", InvalidData, "工作表名重复", "工作表名 {name!r} 重复。"),
    E("INVALID_DATA.GROUP_NOT_OBJECT", InvalidData, "数据：分组应为对象", "数据有误：「{key}」应为对象，实际是 {node!r}（{where}）。"),
    # ---- OutputExists (OUTPUT_EXISTS) -------------------------------------------------------
    E("OUTPUT_EXISTS.RETURN_FOLDERS", OutputExists, "退回文件夹已存在", "退回文件夹已存在：{listed}。如需覆盖，请加 --force。"),
    E("OUTPUT_EXISTS.RETURN_FOLDER", OutputExists, "退回文件夹在写入时出现", "退回文件夹 {target} 已存在：如需覆盖，请加 --force。"),
    E("OUTPUT_EXISTS.OUTPUT", OutputExists, "输出文件已存在", "输出文件 {target} 已存在：如需覆盖，请加 --force。"),
    E("OUTPUT_EXISTS.OUTPUTS", OutputExists, "输出文件已存在（下发模板）", "输出文件已存在：{listed}。如需覆盖，请加 --force。"),
    # ---- OutputIsInput (OUTPUT_IS_INPUT) ----------------------------------------------------
    E("OUTPUT_IS_INPUT.ANNOTATE_SAME_FILE", OutputIsInput, "标注副本就是被校验的文件", "输出文件 {target} 就是被校验的文件：为保护原文件，请另选输出文件名。"),
    E("OUTPUT_IS_INPUT.IN_INPUT_FOLDER", OutputIsInput, "输出在输入文件夹之中", "{what}在输入文件夹 {folder} 之中：下次校验或汇总时它会被当作单位的报表读入，请另选位置。"),
    E("OUTPUT_IS_INPUT.OUTPUT_IS_INPUT", OutputIsInput, "输出文件就是输入文件", "输出文件 {target} 就是输入文件之一：为保护原文件，请另选输出文件名。"),
    # ---- OutputNotWritable (OUTPUT_NOT_WRITABLE) --------------------------------------------
    E("OUTPUT_NOT_WRITABLE.RETURN_DIR_IS_FILE", OutputNotWritable, "退回文件夹是一个文件", "退回文件夹 {target_dir} 是一个文件：请给出文件夹。"),
    E("OUTPUT_NOT_WRITABLE.FOLDER_IS_FILE", OutputNotWritable, "输出文件夹是一个文件", "输出文件夹 {target} 是一个文件：请给出文件夹。"),
    E("OUTPUT_NOT_WRITABLE.FOLDER", OutputNotWritable, "无法建立输出文件夹", "无法建立输出文件夹 {target}（{reason}）。"),
    E("OUTPUT_NOT_WRITABLE.RETURN_DIR", OutputNotWritable, "无法建立退回文件夹", "无法建立退回文件夹 {target_dir}（{reason}）。"),
    E("OUTPUT_NOT_WRITABLE.OUTPUT_IS_FOLDER", OutputNotWritable, "输出路径是一个文件夹", "输出路径 {target} 是一个文件夹，请给出文件名。"),
    E("OUTPUT_LOCKED.REPLACE", OutputLocked, "输出文件正被其他程序打开",
      "无法写入{what}{name}：文件正被其他程序打开，请关闭后重试（如没有打开，请检查是否有写权限）。"),
    E("OUTPUT_NOT_WRITABLE.CANNOT_WRITE", OutputNotWritable, "无法在文件夹中写入", "无法在 {directory} 中写入文件（{reason}）：请检查文件夹是否存在、是否有写权限。"),
    # ---- XlsreportError (ERROR) -------------------------------------------------------------
    E("ERROR.WITHOUT_RETURN_DIR", XlsreportError, "只用于退回通知的选项没有 --return-dir",
      "{option} 只用于退回通知：请同时给出 --return-dir，或去掉 {option}。"),
    E("ERROR.ROSTER_ONLY", XlsreportError, "只用于 --roster 的选项", "{option} 只用于 --roster（为名单上每个单位生成工作簿）。"),
    E("ERROR.ROSTER_WITHOUT_YEAR", XlsreportError, "--roster 没有 --year", "--roster 需要 --year：各单位工作簿中预填的报告年度。"),
    E("ERROR.ROSTER_WITH_UNIT", XlsreportError, "--roster 与 --unit、--from 同时给出", "--roster 与 --unit、--from 不能同时使用：单位名称取自名单。"),
    E("ERROR.ANNOTATE_MANY_GIVEN", XlsreportError, "--annotate 给出了不止一个文件", "--annotate 只能用于一个文件，这次给出了 {count} 个。"),
    E("ERROR.ANNOTATE_MANY_CHECKED", XlsreportError, "--annotate 校验了不止一个文件", "--annotate 只能用于一个文件，这次校验了 {count} 个。"),
)

ERRORS: dict[str, ErrorKind] = {kind.code: kind for kind in _ALL}
assert len(ERRORS) == len(_ALL), "an error code is defined twice"
for _kind in _ALL:  # a code names its class first: LIMIT_EXCEEDED.FILE_SIZE is a LimitExceeded
    assert _kind.code.split(".")[0] == _kind.error.code, _kind.code


def error(code: str, *, path: str | None = None, **fields: object) -> XlsreportError:
    """The error ``code`` of the catalogue, its message filled with ``fields`` (to raise)."""
    kind = ERRORS[code]
    return kind.error(kind.text(**fields), path=path, kind=code)


def message(code: str, **fields: object) -> str:
    """The message of ``code`` filled with ``fields``, for an error said without raising it."""
    return ERRORS[code].text(**fields)


def file_label(name: str) -> str:
    """How a reader's message names the file: "文件 a.xlsx " (then the message), or "文件" when unnamed."""
    return f"文件 {name} " if name else "文件"


def readme_table() -> str:
    """The table of errors of README.md (section 错误代码), exactly as it must stand there."""
    lines = ["| 代码 | 退出码 | 内容 |", "|---|---|---|"]
    lines += [f"| `{kind.code}` | {int(kind.exit_code)} | {kind.title} |" for kind in _ALL]
    return "\n".join(lines)
