"""Builds samples/ from samples/data/*.json with xlsreport itself and LibreOffice.

    python scripts/build_samples.py

- samples/inbox/: what a county clerk receives — each unit's filled workbook made by
  ``write_template``; 韩庄镇 re-saved by LibreOffice as legacy .xls and 夏镇街道 as .ods, as real
  submissions arrive in mixed formats.
- samples/seed/: the seed township's attachment exactly as received (.xls).
Run by hand when the form or the sample data change, then commit the result.
"""

from __future__ import annotations

import shutil
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "tests"))

from libreoffice import convert  # noqa: E402

from xlsreport.data import load_data  # noqa: E402
from xlsreport.writing.workbook import write_template  # noqa: E402

RESAVED = {"韩庄镇-2024": "xls", "夏镇街道-2024": "ods"}
SEED = ROOT / "tests" / "data" / "000_025603475ffff513-attachment-categories.xls"  # copy of ../shared/seed


def main() -> None:
    inbox = ROOT / "samples" / "inbox"
    shutil.rmtree(inbox, ignore_errors=True)
    inbox.mkdir(parents=True)
    for source in sorted((ROOT / "samples" / "data").glob("*.json")):
        data = load_data(source)
        fmt = RESAVED.get(source.stem)
        if fmt is None:
            write_template(inbox / f"{source.stem}.xlsx", data)
            continue
        with tempfile.TemporaryDirectory() as tmp:
            made = write_template(Path(tmp) / f"{source.stem}.xlsx", data)
            shutil.copyfile(convert(made, fmt, Path(tmp) / "out"), inbox / f"{source.stem}.{fmt}")
    seed_dir = ROOT / "samples" / "seed"
    seed_dir.mkdir(parents=True, exist_ok=True)
    shutil.copyfile(SEED, seed_dir / "西平镇-2024-附件-主动公开分类.xls")
    for path in sorted(inbox.iterdir()) + sorted(seed_dir.iterdir()):
        print(path.relative_to(ROOT))


if __name__ == "__main__":
    main()
