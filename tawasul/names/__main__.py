"""Command line: ``python -m tawasul.names {score,explain,screen} ...``."""

from __future__ import annotations

import argparse
import csv
import sys
from collections.abc import Iterator, Sequence
from typing import TextIO

from tawasul.names.index import NameIndex
from tawasul.names.score import DEFAULT_THRESHOLD, explain, similarity

SCREEN_HELP = f"""\
Screen every name in LIST.csv against the names in AGAINST.csv.

Input CSV format (UTF-8, comma-separated, header row required):
  name   required: the person's name, any script (Arabic or Latin)
  id     optional: record identifier; rows sharing an id are alternative names of one
         record (aliases).  Without an id column the 1-based data row number is used.
Other columns are ignored.

Output CSV (to --out, default stdout), one row per match at or above the threshold
(default {DEFAULT_THRESHOLD}), best first per list row:
  list_id, list_name, match_id, match_name, score, explanation
Cells starting with = + - @ are prefixed with ' so spreadsheets do not run them as formulas.
"""


def _read_names(path: str) -> Iterator[tuple[str, str]]:
    with open(path, encoding="utf-8-sig", newline="") as fh:
        reader = csv.DictReader(fh)
        fields = [f.strip().lower() for f in (reader.fieldnames or [])]
        if "name" not in fields:
            raise SystemExit(f"{path}: needs a header row with a 'name' column")
        reader.fieldnames = fields
        for n, row in enumerate(reader, start=1):
            name = (row.get("name") or "").strip()
            if name:
                yield (row.get("id") or "").strip() or str(n), name


def _cell(value: str) -> str:
    """Neutralise spreadsheet formulas: names come from untrusted lists (CSV injection)."""
    return "'" + value if value[:1] in ("=", "+", "-", "@", "\t", "\r") else value


def _screen(args: argparse.Namespace, out: TextIO) -> int:
    from tqdm import tqdm

    index = NameIndex()
    for rid, name in _read_names(args.against):
        index.add(rid, [name])
    rows = list(_read_names(args.list))
    writer = csv.writer(out)
    writer.writerow(["list_id", "list_name", "match_id", "match_name", "score", "explanation"])
    for rid, name in tqdm(rows, desc="screening", unit="name", file=sys.stderr, disable=args.quiet):
        for m in index.search(name, limit=args.limit, threshold=args.threshold):
            row = [rid, name, m.key, m.name, f"{m.score:.3f}", m.explanation.replace("\n", " | ")]
            writer.writerow([_cell(c) for c in row])
    return 0


def main(argv: Sequence[str] | None = None) -> int:
    """CLI entry point."""
    parser = argparse.ArgumentParser(
        prog="python -m tawasul.names",
        description="Match person names across Arabic script and Latin spellings.",
    )
    sub = parser.add_subparsers(dest="command", required=True)
    p_score = sub.add_parser("score", help="print the similarity of two names (0..1)")
    p_score.add_argument("a")
    p_score.add_argument("b")
    p_expl = sub.add_parser("explain", help="explain which parts of two names match and why")
    p_expl.add_argument("a")
    p_expl.add_argument("b")
    p_screen = sub.add_parser(
        "screen",
        help="screen a CSV list of names against another",
        description=SCREEN_HELP,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    p_screen.add_argument("list", metavar="LIST.csv")
    p_screen.add_argument("against", metavar="AGAINST.csv")
    p_screen.add_argument("--out", "-o", help="output CSV path (default: stdout)")
    p_screen.add_argument(
        "--threshold",
        type=float,
        default=DEFAULT_THRESHOLD,
        help=f"minimum score to report (default {DEFAULT_THRESHOLD})",
    )
    p_screen.add_argument("--limit", type=int, default=10, help="matches per list row")
    p_screen.add_argument("--quiet", "-q", action="store_true", help="no progress bar")
    args = parser.parse_args(argv)

    if args.command == "score":
        print(f"{similarity(args.a, args.b):.3f}")
        return 0
    if args.command == "explain":
        print(explain(args.a, args.b))
        return 0
    if args.out:
        with open(args.out, "w", encoding="utf-8", newline="") as fh:
            return _screen(args, fh)
    return _screen(args, sys.stdout)


if __name__ == "__main__":
    sys.exit(main())
