"""The README cannot drift from the code: every rule code the tool can emit is documented there."""

from __future__ import annotations

import re
from pathlib import Path

from xlsreport.checker import RULES
from xlsreport import summary

README = (Path(__file__).resolve().parents[1] / "README.md").read_text(encoding="utf-8")


def test_every_rule_code_is_in_the_readme_table():
    documented = set(re.findall(r"^\| `([A-Z0-9_.]+)` \|", README, flags=re.M))
    emitted = set(RULES) | {summary.RULE_DUPLICATE, summary.RULE_WRONG_YEAR, summary.RULE_NOT_IN_ROSTER, summary.RULE_UNREADABLE}
    assert emitted - documented == set(), "rule codes missing from README"
    assert documented - emitted == set(), "README documents codes the tool never emits"


def test_the_two_setup_commands_are_in_the_readme_and_ci_calls_the_test_one():
    root = Path(__file__).resolve().parents[1]
    assert "bash scripts/demo.sh" in README and "bash scripts/test.sh" in README
    assert "bash scripts/test.sh" in (root / ".ci" / "run").read_text(encoding="utf-8")
