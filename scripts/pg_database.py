"""Create or drop a PostgreSQL database (CI's throw-away test database).

Usage: python scripts/pg_database.py create|drop postgres://user@host:port DBNAME
"""

from __future__ import annotations

import sys

import psycopg
from psycopg import sql


def main(action: str, server_url: str, name: str) -> int:
    with psycopg.connect(f"{server_url.rstrip('/')}/postgres", autocommit=True) as conn:
        if action == "create":
            conn.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name)))
        elif action == "drop":
            conn.execute(
                sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(sql.Identifier(name))
            )
            conn.execute(
                sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(
                    sql.Identifier(f"test_{name}")
                )
            )
        else:
            print(__doc__, file=sys.stderr)
            return 2
    return 0


if __name__ == "__main__":
    if len(sys.argv) != 4:
        print(__doc__, file=sys.stderr)
        raise SystemExit(2)
    raise SystemExit(main(*sys.argv[1:]))
