"""Prints the authorization matrix's counts at the end of a run that walked it."""

from __future__ import annotations

from typing import Any


def pytest_terminal_summary(terminalreporter: Any) -> None:
    from tawasul.core.tests.test_url_walk import STATS

    if STATS["cases"]:
        terminalreporter.write_line(
            f"authorization matrix: {STATS['endpoints']} endpoints walked, "
            f"{STATS['cases']} cases (endpoint × persona), {STATS['denials']} denials"
        )
