"""Faults: a worker killed in the middle of a write leaves no partial state behind.

A real process (tawasul.core.tests.scratch ``create_person``) creates a person record with
its names, name keys, documents and audit event, then stops inside the still-open
transaction; the test kills it with SIGKILL there. The scratch site is on the suite's engine
(SQLite, or PostgreSQL when DATABASE_URL names one).
"""

from __future__ import annotations

import os
import signal
import time

import pytest

from tawasul.core.tests.scratch import new_site, suite_engine

ENGINE = suite_engine()


@pytest.fixture
def site(tmp_path):
    site = new_site(ENGINE, tmp_path)
    yield site
    site.drop()


def _wait_for(path, process, timeout=120.0):
    deadline = time.monotonic() + timeout
    while not path.exists():
        if process.poll() is not None:
            raise AssertionError(f"the writer ended early: {process.communicate()}")
        if time.monotonic() > deadline:
            raise AssertionError("the writer never reached the middle of its transaction")
        time.sleep(0.05)


def test_a_worker_killed_mid_transaction_leaves_no_rows_and_the_chain_verifies(site, tmp_path):
    user = site.call("make_person_user")["user"]
    before = site.call("person_rows")
    ready = tmp_path / "inside-the-transaction"
    writer = site.popen("create_person", user, str(ready), 600)

    _wait_for(ready, writer)
    os.kill(writer.pid, signal.SIGKILL)
    writer.communicate(timeout=30)

    assert writer.returncode == -signal.SIGKILL
    after = site.call("person_rows")
    assert after == before
    assert after["records"] == after["names"] == after["documents"] == 0
    assert after["audit_ok"], after["audit_problem"]
    # The database is not left locked: the same write, uninterrupted, commits whole.
    site.call("create_person", user)
    done = site.call("person_rows")
    assert (done["records"], done["names"], done["documents"]) == (1, 2, 2)
    assert done["name_keys"] > 0
    assert done["audit_events"] == before["audit_events"] + 1
    assert done["audit_ok"], done["audit_problem"]
    print(f"\nkilled mid-transaction on {ENGINE}: no rows left, audit chain intact")
