"""The README cannot drift from the code: its rule table is the one list of rules, as generated."""

from __future__ import annotations

import re
from pathlib import Path

from xlsreport import form
from xlsreport.errors import ExitCode
from xlsreport.rules import RULES, readme_table

README = (Path(__file__).resolve().parents[1] / "README.md").read_text(encoding="utf-8")


def test_the_readme_rule_table_is_the_rule_registry():
    assert readme_table() in README, "README 校验规则 differs from rules.RULES: paste rules.readme_table()"


def test_every_identity_of_the_form_has_its_rule_documented():
    documented = set(re.findall(r"^\| `([A-Z0-9_.]+)` \|", README, flags=re.M))
    assert {identity.rule for identity in form.IDENTITIES} <= documented
    assert {"MERGE.DUPLICATE", "INPUT.SKIPPED", "UNREADABLE", "INTERNAL"} <= set(RULES) <= documented


def test_every_exit_code_is_in_the_readme():
    for code in ExitCode:
        assert re.search(rf"^\| {int(code)} \|", README, flags=re.M), f"exit code {int(code)} missing from README"


def test_the_two_setup_commands_are_in_the_readme_and_ci_calls_the_test_one():
    root = Path(__file__).resolve().parents[1]
    assert "bash scripts/demo.sh" in README and "bash scripts/test.sh" in README
    assert "bash scripts/test.sh" in (root / ".ci" / "run").read_text(encoding="utf-8")


def test_the_english_part_names_every_exit_code():
    english = README[README.index("## English"):]
    said = re.search(r"Exit codes: (.*?)\.\s*$", english, flags=re.S | re.M)
    assert said is not None
    for code in ExitCode:
        assert re.search(rf"\b{int(code)} ", said.group(1)), f"exit code {int(code)} missing from the English part"


def test_the_narrative_example_is_what_check_prints_for_the_seed(capsys):
    # the README shows the line a clerk sees for 西平镇 (samples/inbox): severity, message, rule code
    from xlsreport.cli import main

    sample = Path(__file__).resolve().parents[1] / "samples" / "inbox" / "西平镇-2024.xlsx"
    try:
        main(["check", str(sample)])
    except SystemExit:
        pass
    (shown,) = [line.strip() for line in capsys.readouterr().out.splitlines() if "NARR.MISMATCH" in line]
    assert shown.startswith("[警告] 正文“主动公开信息总计58条”")
    assert shown in README
