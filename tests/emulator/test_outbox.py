"""The delivery outbox in the emulator's store: a state file from before the dead-letter
columns opens, and its pending deliveries stay pending."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.emulator.old_stores import FIRST_RELEASE, write_state_file
from vod_testbed.emulator.store import STATE_FILE, Store


@pytest.fixture
def old_store(tmp_path: Path) -> Iterator[Store]:
    """A store opened on a state file of the first release, with one pending delivery."""
    write_state_file(
        tmp_path / STATE_FILE,
        FIRST_RELEASE,
        "INSERT INTO events (id, job_id, status, body) VALUES ('e-1', 'j-1', 'COMPLETE', '{}')",
        "INSERT INTO outbox (event_id, url, next_attempt_at)"
        " VALUES ('e-1', 'http://127.0.0.1:9/x', 5)",
    )
    store = Store(tmp_path)
    yield store
    store.close()


def test_an_old_state_files_pending_delivery_is_due_after_the_upgrade(old_store: Store) -> None:
    (due,) = old_store.due_deliveries(now=10)
    assert (due.event_id, due.url, due.created_at, due.dead_at) == (
        "e-1",
        "http://127.0.0.1:9/x",
        0.0,
        None,
    )


def test_a_delivery_of_an_old_state_file_can_go_to_the_dead_letters(old_store: Store) -> None:
    (due,) = old_store.due_deliveries(now=10)
    old_store.mark_dead(due.seq, "HTTP 500", "retried for 60 s, the maximum age", at=11)
    (dead,) = old_store.list_dead_letters()
    assert (dead.dead_at, dead.dead_reason, dead.attempts) == (
        11,
        "retried for 60 s, the maximum age",
        1,
    )
    assert old_store.due_deliveries(now=20) == []
