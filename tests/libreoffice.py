"""LibreOffice headless, forced to recalculate every formula on load.

By default LibreOffice keeps the cached results of a file's formulas (see ../shared/NOTES.md), which
would make a formula test prove nothing.  We run it with a profile of our own whose
registrymodifications.xcu sets OOXMLRecalcMode and ODFRecalcMode to 0 ("always recalculate").
"""

from __future__ import annotations

import shutil
import subprocess
import tempfile
from pathlib import Path

_XCU = """<?xml version="1.0" encoding="UTF-8"?>
<oor:items xmlns:oor="http://openoffice.org/2001/registry" xmlns:xs="http://www.w3.org/2001/XMLSchema" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance">
<item oor:path="/org.openoffice.Office.Calc/Formula/Load"><prop oor:name="OOXMLRecalcMode" oor:op="fuse"><value>0</value></prop></item>
<item oor:path="/org.openoffice.Office.Calc/Formula/Load"><prop oor:name="ODFRecalcMode" oor:op="fuse"><value>0</value></prop></item>
</oor:items>
"""

# Output filters by target extension.
FILTERS = {
    "xlsx": "xlsx:Calc MS Excel 2007 XML",
    "xls": "xls:MS Excel 97",
    "ods": "ods:calc8",
    "pdf": "pdf:calc_pdf_Export",
    "csv": "csv:Text - txt - csv (StarCalc):44,34,76,1,,0,false,true,false,false,false,-1",
}


def soffice() -> str:
    exe = shutil.which("soffice") or shutil.which("libreoffice")
    if exe is None:
        raise RuntimeError("LibreOffice (soffice) is not installed: run scripts/test.sh, which installs it")
    return exe


def _profile() -> Path:
    profile = Path(tempfile.mkdtemp(prefix="xlsreport-lo-"))
    (profile / "user").mkdir()
    (profile / "user" / "registrymodifications.xcu").write_text(_XCU, encoding="utf-8")
    return profile


def convert(source: Path, fmt: str, outdir: Path, *, timeout: float = 180) -> Path:
    """Open ``source`` in LibreOffice (recalculating), save it as ``fmt`` into ``outdir``."""
    profile = _profile()
    try:
        outdir.mkdir(parents=True, exist_ok=True)
        cmd = [
            soffice(),
            f"-env:UserInstallation={profile.as_uri()}",
            "--headless",
            "--norestore",
            "--convert-to",
            FILTERS.get(fmt, fmt),
            "--outdir",
            str(outdir),
            str(source),
        ]
        proc = subprocess.run(cmd, capture_output=True, text=True, timeout=timeout)
        target = outdir / (source.stem + "." + fmt)
        if not target.exists():
            raise RuntimeError(f"LibreOffice did not convert {source}: {proc.stdout}\n{proc.stderr}")
        return target
    finally:
        shutil.rmtree(profile, ignore_errors=True)


def writer_convert(source: Path, target_filter: str, suffix: str, outdir: Path, infilter: str | None = None) -> Path:
    """Convert ``source`` with Writer (not Calc) to ``suffix`` through ``target_filter``; an HTML
    input needs ``infilter="HTML (StarWriter)"`` or Calc's web import takes it."""
    profile = _profile()
    try:
        outdir.mkdir(parents=True, exist_ok=True)
        command = [soffice(), f"-env:UserInstallation={profile.as_uri()}", "--headless", "--norestore"]
        if infilter:
            command.append(f"--infilter={infilter}")
        command += ["--convert-to", f"{suffix}:{target_filter}", "--outdir", str(outdir), str(source)]
        subprocess.run(command, capture_output=True, text=True, timeout=180)
        target = outdir / f"{source.stem}.{suffix}"
        assert target.exists(), command
        return target
    finally:
        shutil.rmtree(profile, ignore_errors=True)
