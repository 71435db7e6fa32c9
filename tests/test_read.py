"""Reading filled workbooks back: the right numbers from the right cells, whatever the layout.

Every label comes from tests/oracle.py, typed from ../shared/spec/FORM.md (not imported from form.py), and every
expected number and cell address is computed here by the builder that wrote the workbook.
"""

from __future__ import annotations

import glob
import io
import shutil
from pathlib import Path

import openpyxl
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from oracle import (
    CATEGORIES, DATA, FEES, R, T2_BLOCKS, T2_COLUMN_KEYS, T3_COLUMNS, T3_OUTCOMES, T3_ROWS, T4_COLUMNS, T4_GROUPS, UNIT,
    consistent_data, distinct_data,
)
from xlsreport.errors import NotAForm
from xlsreport.reading.report import read, read_bytes

SEED = DATA  # exact copies of ../shared/seed/*.xls
T3_HANDLED = T3_OUTCOMES

# ---------------------------------------------------------------------------------------------
# A builder of hand-made layouts (openpyxl), returning where it put every value
# ---------------------------------------------------------------------------------------------


def col_letter(c: int) -> str:
    letters = ""
    c += 1
    while c:
        c, rem = divmod(c - 1, 26)
        letters = chr(65 + rem) + letters
    return letters


class Builder:
    """Writes the official layout of each part at a chosen place; records each value's address."""

    def __init__(self, label=lambda s: s, cell=lambda path, value: value) -> None:
        self.wb = openpyxl.Workbook()
        self.wb.remove(self.wb.active)
        self.label = label  # how the clerk wrote each label (variants)
        self.cell = cell  # how the clerk wrote each value (placeholders, text numbers)
        self.where: dict[tuple, str] = {}

    def sheet(self, name: str):
        return self.wb[name] if name in self.wb.sheetnames else self.wb.create_sheet(name)

    def put(self, ws, r: int, c: int, text) -> None:
        ws.cell(row=r + 1, column=c + 1, value=self.label(text) if isinstance(text, str) else text)

    def value(self, ws, r: int, c: int, path: tuple, value) -> None:
        ws.cell(row=r + 1, column=c + 1, value=self.cell(path, value))
        self.where[path] = f"{ws.title}!{col_letter(c)}{r + 1}"

    def unit(self, ws, top: int, left: int, data: dict) -> int:
        for i, (label, key) in enumerate(UNIT):
            self.put(ws, top + i, left, label)
            self.value(ws, top + i, left + 1, ("unit", key), data["unit"][key])
        return top + len(UNIT) + 1

    def fees(self, ws, top: int, left: int, data: dict) -> int:
        for i, (label, key) in enumerate(FEES):
            self.put(ws, top + i, left, label)
            self.value(ws, top + i, left + 1, ("fee_notices", key), data["fee_notices"][key])
        return top + len(FEES) + 1

    def proactive(self, ws, top: int, left: int, data: dict, heading: str = "二、主动公开政府信息情况") -> int:
        self.put(ws, top, left, heading)
        r = top + 1
        for block, columns, rows in T2_BLOCKS:
            self.put(ws, r, left, block)
            self.put(ws, r + 1, left, "信息内容")
            for j, column in enumerate(columns):
                self.put(ws, r + 1, left + 1 + j, column)
            for i, (label, key) in enumerate(rows):
                self.put(ws, r + 2 + i, left, label)
                if len(columns) == 3:
                    for j, ckey in enumerate(T2_COLUMN_KEYS):
                        self.value(ws, r + 2 + i, left + 1 + j, ("proactive", key, ckey), data["proactive"][key][ckey])
                else:
                    self.value(ws, r + 2 + i, left + 1, ("proactive", key), data["proactive"][key])
            r += 2 + len(rows)
        return r + 1

    def categories(self, ws, top: int, left: int, data: dict, total_label: str | None = "合计") -> int:
        """Labels across, values in the row below (as the seed's attachment)."""
        for j, (label, key) in enumerate(CATEGORIES):
            self.put(ws, top, left + j, label)
            self.value(ws, top + 1, left + j, ("categories", key), data["categories"][key])
        if total_label:
            self.put(ws, top, left + len(CATEGORIES), total_label)
        self.value(ws, top + 1, left + len(CATEGORIES), ("categories", "total"), data["categories"]["total"])
        return top + 3

    def applications(self, ws, top: int, left: int, data: dict, heading: str = "三、收到和处理政府信息公开申请情况") -> int:
        self.put(ws, top, left, heading)
        h = top + 1
        self.put(ws, h, left + 3, "申请人情况")
        self.put(ws, h + 1, left + 3, "自然人")
        self.put(ws, h + 1, left + 4, "法人或其他组织")
        self.put(ws, h + 1, left + 9, T3_COLUMNS[-1][0])
        for j, (label, _) in enumerate(T3_COLUMNS[1:-1]):
            self.put(ws, h + 2, left + 4 + j, label)
        for i, (a, b, c, key) in enumerate(T3_ROWS):
            r = h + 3 + i
            for k, text in enumerate((a, b, c)):
                if text:
                    self.put(ws, r, left + k, text)
            for j, (_, ckey) in enumerate(T3_COLUMNS):
                self.value(ws, r, left + 3 + j, ("applications", key, ckey), data["applications"][key][ckey])
        return h + 3 + len(T3_ROWS) + 1

    def review(self, ws, top: int, left: int, data: dict, heading: str = "四、政府信息公开行政复议、行政诉讼情况") -> int:
        """As printed: 行政复议 over 5 columns, 行政诉讼 over 10, then the 15 numbers in one row."""
        self.put(ws, top, left, heading)
        h = top + 1
        self.put(ws, h, left, "行政复议")
        self.put(ws, h, left + 5, "行政诉讼")
        self.put(ws, h + 1, left + 5, "未经复议直接起诉")
        self.put(ws, h + 1, left + 10, "复议后起诉")
        for g, (gkey, _) in enumerate(T4_GROUPS):
            for j, (label, ckey) in enumerate(T4_COLUMNS):
                self.put(ws, h + 2, left + 5 * g + j, label)
                self.value(ws, h + 3, left + 5 * g + j, ("review_litigation", gkey, ckey), data["review_litigation"][gkey][ckey])
        return h + 5

    def save(self, path: Path) -> Path:
        self.wb.save(path)
        return path


def build_all(builder: Builder, data: dict, *, one_sheet: bool, top: int = 0, left: int = 0, names=None) -> None:
    names = names or {"unit": "基本信息", "proactive": "主动公开", "categories": "主动公开分类",
                      "applications": "依申请公开", "review": "复议诉讼", "fees": "基本信息"}
    order = ["unit", "proactive", "categories", "applications", "review", "fees"]
    r = top
    for part in order:
        ws = builder.sheet("全部" if one_sheet else names[part])
        start = r if one_sheet else (ws.max_row + 1 if part == "fees" else top)
        end = getattr(builder, part)(ws, start, left, data)
        if one_sheet:
            r = end


def assert_read(report, data: dict, where: dict) -> None:
    got = report.to_dict()
    for part in ("unit", "proactive", "categories", "applications", "review_litigation", "fee_notices"):
        assert got[part] == data[part], part
    for path, address in where.items():
        assert report.values[path].cell == address, path


# ---------------------------------------------------------------------------------------------
# the seed attachment
# ---------------------------------------------------------------------------------------------


def test_seed_attachment_reads_categories_and_the_unlabelled_total():
    (path,) = glob.glob(str(SEED / "*-attachment-categories.xls"))
    report = read(path)
    got = report.to_dict()
    expected = {"notices": 5, "budget": 1, "final_accounts": 1, "functions": 1, "work_updates": 38, "other": 8}
    assert {k: got["categories"][k] for k in expected} == expected
    total = report.values[("categories", "total")]
    assert (total.value, total.cell, total.status) == (58, "Sheet1!E6", "number")
    assert got["categories"]["total"] == 58  # as the file states it (its six add up to 54: check says so)
    # Labels in row 4 at G, I, K, M, O, Q; values in row 6 under each (FORM.md).
    cells = {k: report.values[("categories", k)].cell for k in expected}
    assert cells == {"notices": "Sheet1!G6", "budget": "Sheet1!I6", "final_accounts": "Sheet1!K6",
                     "functions": "Sheet1!M6", "work_updates": "Sheet1!O6", "other": "Sheet1!Q6"}
    assert report.parts == ("categories",)
    for absent in ("unit", "proactive", "applications", "review_litigation", "fee_notices"):
        assert got[absent] is None
    assert any("E6" in note for note in report.notes)


def test_seed_total_attachment_is_not_a_form():
    (path,) = glob.glob(str(SEED / "*-attachment-total.xls"))
    with pytest.raises(NotAForm):
        read(path)


# ---------------------------------------------------------------------------------------------
# hand-made layouts
# ---------------------------------------------------------------------------------------------


def test_official_layout_one_sheet_per_part(tmp_path):
    data = distinct_data()
    b = Builder()
    build_all(b, data, one_sheet=False)
    assert_read(read(b.save(tmp_path / "a.xlsx")), data, b.where)


def test_everything_on_one_sheet_moved_down_and_right(tmp_path):
    data = distinct_data()
    b = Builder()
    build_all(b, data, one_sheet=True, top=7, left=3)
    report = read(b.save(tmp_path / "a.xlsx"))
    assert_read(report, data, b.where)
    assert report.values[("applications", "new", "natural_person")].cell.startswith("全部!G")


def test_renamed_and_reordered_sheets(tmp_path):
    data = distinct_data()
    b = Builder()
    names = {"unit": "封面", "proactive": "Sheet3", "categories": "附表", "applications": "Sheet1",
             "review": "表四", "fees": "封面"}
    build_all(b, data, one_sheet=False, top=2, left=1, names=names)
    b.wb.move_sheet("表四", offset=-3)
    b.wb.move_sheet("Sheet1", offset=-2)
    assert_read(read(b.save(tmp_path / "a.xlsx")), data, b.where)


def test_inserted_rows_and_columns(tmp_path):
    """A clerk inserts a row and a column inside the tables: values move, labels move with them."""
    data = distinct_data()
    b = Builder()
    build_all(b, data, one_sheet=True)
    ws = b.wb["全部"]
    ws.insert_rows(20)  # inside table 二/三 region
    ws.insert_cols(2)
    ws.insert_rows(60)
    path = b.save(tmp_path / "a.xlsx")
    # Where openpyxl moved the values (recomputed here from the builder's record).
    moved = {}
    for key, address in b.where.items():
        sheet, a1 = address.split("!")
        col = "".join(ch for ch in a1 if ch.isalpha())
        row = int("".join(ch for ch in a1 if ch.isdigit()))
        c = openpyxl.utils.column_index_from_string(col)
        c = c + 1 if c >= 2 else c
        row = row + 1 if row >= 20 else row
        row = row + 1 if row >= 60 else row
        moved[key] = f"{sheet}!{col_letter(c - 1)}{row}"
    assert_read(read(path), data, moved)


def variant_label(text: str) -> str:
    """Labels as clerks type them: line breaks, half-width brackets, "1、", 合计 for 总计, spaces."""
    out = text.replace("（", "(").replace("）", ")").replace("1.", "1、").replace("3.", "3．")
    out = out.replace("总计", "合计").replace("“", '"').replace("”", '"')
    if out == "商业企业":
        out = "商业\n企业"
    if out == "科研机构":
        out = "科研\n机构"
    if out == "自然人":
        out = "自 然 人"
    if out.startswith("一、"):
        out = "一、 " + out[2:]
    return out


def test_label_variants_and_extra_heading_words(tmp_path):
    data = distinct_data()
    b = Builder(label=variant_label)
    ws = b.sheet("表")
    r = b.unit(ws, 0, 0, data)
    r = b.proactive(ws, r, 0, data, heading="二、行政机关主动公开政府信息情况")
    r = b.categories(ws, r, 0, data, total_label="总计")
    r = b.applications(ws, r, 0, data)
    r = b.review(ws, r, 0, data, heading="四、因政府信息公开工作被申请行政复议、提起行政诉讼情况")
    b.fees(ws, r, 0, data)
    assert_read(read(b.save(tmp_path / "a.xlsx")), data, b.where)


def test_placeholders_text_numbers_units_and_invalid_cells(tmp_path):
    data = distinct_data()
    # Cells as clerks fill them (FORM.md "Reading real files"), with the reading each must get.
    written = {
        ("proactive", "rules", "issued"): ("/", None, "placeholder"),
        ("proactive", "rules", "repealed"): ("—", None, "placeholder"),
        ("proactive", "rules", "in_force"): ("无", None, "placeholder"),
        ("proactive", "licensing"): ("-", None, "placeholder"),
        ("proactive", "penalties"): ("－", None, "placeholder"),
        ("categories", "notices"): ("５８", 58, "text_number"),
        ("categories", "budget"): ("\u3000\u30000", 0, "text_number"),
        ("categories", "final_accounts"): ("58 ", 58, "text_number"),
        ("categories", "work_updates"): ("58条", 58, "with_unit"),
        ("fee_notices", "amount_notified_yuan"): ("251000元", 251000, "with_unit"),
        ("applications", "new", "natural_person"): ("约50", None, "invalid"),
        ("applications", "new", "commercial"): ("#REF!", None, "invalid"),
        ("applications", "new", "research"): (True, None, "invalid"),
        ("applications", "new", "public_interest"): (None, None, "blank"),
        ("applications", "granted", "natural_person"): (7, 7, "number"),
    }

    def cell(path, value):
        return written[path][0] if path in written else value

    b = Builder(cell=cell)
    build_all(b, data, one_sheet=False)
    report = read(b.save(tmp_path / "a.xlsx"))
    for path, (raw, value, status) in written.items():
        got = report.values[path]
        assert (got.value, got.status) == (value, status), path
        assert got.cell == b.where[path]
        if raw is not None:
            assert got.raw == raw
    assert report.values[("unit", "name")].status == "text"


def test_computed_cells_hold_what_the_file_stores(tmp_path):
    data = distinct_data()
    stored_wrong = data["categories"]["total"] + 5

    def cell(path, value):
        return stored_wrong if path == ("categories", "total") else value

    b = Builder(cell=cell)
    build_all(b, data, one_sheet=False)
    report = read(b.save(tmp_path / "a.xlsx"))
    assert report.values[("categories", "total")].value == stored_wrong
    assert report.to_dict()["categories"]["total"] == stored_wrong  # as the file states it
    assert report.to_dict(recompute=True)["categories"]["total"] == sum(data["categories"][k] for _, k in CATEGORIES)


def test_xlsx_named_xls_and_xls_named_xlsx(tmp_path):
    data = distinct_data()
    b = Builder()
    build_all(b, data, one_sheet=False)
    misnamed = b.save(tmp_path / "report.xls")
    assert_read(read(misnamed), data, b.where)
    (seed,) = glob.glob(str(SEED / "*-attachment-categories.xls"))
    copy = tmp_path / "attachment.xlsx"
    shutil.copy(seed, copy)
    assert read(copy).values[("categories", "total")].cell == "Sheet1!E6"
    assert read_bytes(misnamed.read_bytes(), "x.ods").to_dict()["applications"] == data["applications"]


def test_only_some_parts_present(tmp_path):
    data = distinct_data()
    b = Builder()
    b.review(b.sheet("Sheet1"), 4, 2, data)
    report = read(b.save(tmp_path / "a.xlsx"))
    assert report.parts == ("review_litigation",)
    got = report.to_dict()
    assert got["review_litigation"] == data["review_litigation"]
    assert got["applications"] is None and got["categories"] is None


def test_html_table_saved_as_xls(tmp_path):
    labels = "".join(f"<td>{label}</td>" for label, _ in CATEGORIES) + "<td>合计</td>"
    values = "<td>5</td><td>1</td><td>1</td><td>1</td><td>38</td><td>8</td><td>54</td>"
    html = f"<html><head><meta charset='utf-8'></head><body><table><tr>{labels}</tr><tr>{values}</tr></table></body></html>"
    path = tmp_path / "export.xls"
    path.write_text(html, encoding="utf-8")
    got = read(path).to_dict()["categories"]
    assert got == {"notices": 5, "budget": 1, "final_accounts": 1, "functions": 1, "work_updates": 38, "other": 8, "total": 54}


def test_trial_2019_format_is_named_not_misread(tmp_path):
    wb = openpyxl.Workbook()
    ws = wb.active
    rows = [
        ["第二十条第（一）项"],
        ["信息内容", "本年新制作数量", "本年新公开数量", "对外公开总数量"],
        ["规章", 1, 2, 3],
        ["第二十条第（九）项"],
        ["信息内容", "采购项目数量", "采购总金额"],
        ["政府集中采购", 4, 5],
    ]
    for row in rows:
        ws.append(row)
    path = tmp_path / "2019.xlsx"
    wb.save(path)
    report = read(path)
    assert report.form == "gov-info-annual-report/2019-trial"
    assert "proactive" not in report.parts
    assert any("2019" in note and "未读取" in note for note in report.notes)


# ---------------------------------------------------------------------------------------------
# round trip through the template writer and a real spreadsheet application
# ---------------------------------------------------------------------------------------------

from libreoffice import convert  # noqa: E402

from xlsreport.writing.workbook import write_template  # noqa: E402

N_INPUTS = 2 * 3 + 4 + 6 + 24 * 6 + 3 * 4 + 3
counts = st.integers(min_value=0, max_value=10**6)


@st.composite
def form_data(draw) -> dict:
    numbers = draw(st.lists(counts, min_size=N_INPUTS, max_size=N_INPUTS))
    data = consistent_data(numbers)
    data["proactive"]["fees_10k_yuan"] = draw(st.integers(0, 10**9)) / 10**6
    data["fee_notices"]["amount_notified_yuan"] = draw(st.integers(0, 10**8)) / 100
    data["fee_notices"]["amount_collected_yuan"] = draw(st.integers(0, 10**8)) / 100
    data["unit"]["name"] = draw(st.text(alphabet="微山县西平镇人民政府办公室局街道", min_size=2, max_size=20))
    data["unit"]["year"] = draw(st.integers(2021, 2030))
    return data


@pytest.mark.office
@settings(max_examples=3, deadline=None, database=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(data=form_data())
def test_template_round_trip_through_libreoffice(tmp_path_factory, data):
    tmp = tmp_path_factory.mktemp("rt")
    source = write_template(tmp / "report.xlsx", data)
    for fmt in ("xlsx", "xls", "ods"):
        converted = convert(Path(source), fmt, tmp / fmt)
        report = read(converted)
        got = report.to_dict()
        for part in ("proactive", "categories", "applications", "review_litigation", "fee_notices"):
            assert got[part] == data[part], (fmt, part)
        assert got["unit"]["name"] == data["unit"]["name"] and report.year == data["unit"]["year"]
        # The totals LibreOffice recalculated are what the file stores: read them as stored.
        assert report.values[("categories", "total")].value == data["categories"]["total"], fmt
        assert report.values[("applications", "handled_total", "total")].value == data["applications"]["handled_total"]["total"]


def test_combined_row_labels_transposed_table_four_and_vertical_categories(tmp_path):
    """FORM.md's own rendering: group and row label in one cell ("三、本年度办理结果 （一）予以公开"),
    a row label without its number ("其他" under （六）其他处理), table 四 as 3 rows × 5 columns,
    categories down a column with 合计 last."""
    data = distinct_data()
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "报表"
    where: dict[tuple, str] = {}
    groups = {"granted": R + " ", "denied.state_secret": "（三）不予公开 ", "unavailable.not_held": "（四）无法提供 ",
              "not_processed.petitions": "（五）不予处理 ", "other.no_correction": "（六）其他处理 "}
    for j, (label, _) in enumerate(T3_COLUMNS):
        ws.cell(row=3, column=3 + j, value=label)
    for i, (a, b, c, key) in enumerate(T3_ROWS):
        own = c or b or a
        label = "其他" if key == "other.other" else groups.get(key, "") + own
        ws.cell(row=4 + i, column=2, value=label)
        for j, (_, ckey) in enumerate(T3_COLUMNS):
            ws.cell(row=4 + i, column=3 + j, value=data["applications"][key][ckey])
            where[("applications", key, ckey)] = f"报表!{col_letter(2 + j)}{4 + i}"
    top = 4 + len(T3_ROWS) + 2
    for j, (label, _) in enumerate(T4_COLUMNS):
        ws.cell(row=top, column=3 + j, value=label)
    for i, (gkey, glabel) in enumerate(T4_GROUPS):
        ws.cell(row=top + 1 + i, column=2, value=glabel)
        for j, (_, ckey) in enumerate(T4_COLUMNS):
            ws.cell(row=top + 1 + i, column=3 + j, value=data["review_litigation"][gkey][ckey])
            where[("review_litigation", gkey, ckey)] = f"报表!{col_letter(2 + j)}{top + 1 + i}"
    top += 6
    for i, (label, key) in enumerate(CATEGORIES + [("合计", "total")]):
        ws.cell(row=top + i, column=2, value=label)
        ws.cell(row=top + i, column=3, value=data["categories"][key])
        where[("categories", key)] = f"报表!C{top + i}"
    wb.save(tmp_path / "a.xlsx")
    report = read(tmp_path / "a.xlsx")
    got = report.to_dict()
    for part in ("applications", "review_litigation", "categories"):
        assert got[part] == data[part], part
    for path, address in where.items():
        assert report.values[path].cell == address, path


def test_blank_template_reads_every_input_as_blank_at_its_cell(tmp_path):
    from xlsreport.writing.workbook import layout

    report = read(write_template(tmp_path / "blank.xlsx"))
    assert set(report.parts) == {"unit", "proactive", "categories", "applications", "review_litigation", "fee_notices", "narrative"}
    for path, ref in layout().items():
        assert report.values[path].cell == ref.address, path
    # FORM.md: a blank input cell is "not filled" — read as blank (0 with a warning), never invented.
    assert report.values[("applications", "new", "natural_person")].status == "blank"
    assert report.values[("categories", "notices")].status == "blank"
