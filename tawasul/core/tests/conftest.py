"""Prints the authorization matrix's counts at the end of a run that walked it."""

from __future__ import annotations

from typing import Any

from tawasul.core.tests.walk import METHODS


def pytest_terminal_summary(terminalreporter: Any) -> None:
    from tawasul.core.tests.test_url_walk import STATS

    if STATS["cases"]:
        by_method = {
            kind: ", ".join(
                f"{method.upper()} {STATS[f'{kind} {method.upper()}']}"
                for method in METHODS
                if STATS[f"{kind} {method.upper()}"]
            )
            for kind in ("route", "api")
        }
        walked = sum(STATS[f"{kind} {m.upper()}"] for kind in ("route", "api") for m in METHODS)
        terminalreporter.write_line(
            f"authorization matrix: {STATS['endpoints']} endpoints walked, "
            f"{walked} endpoint × method (routes: {by_method['route']}; "
            f"API: {by_method['api']}), "
            f"{STATS['cases']} cases (endpoint × method × persona), {STATS['denials']} denials "
            f"({STATS['refusals checked for writes']} checked to write nothing), "
            f"{STATS['method probes']} unlisted methods answered 405"
        )
