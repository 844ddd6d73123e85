"""`vod-testbed db`: upgrade and status of a data dir's databases, and a new revision
numbered after the newest one."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from vod_testbed.cli import db
from vod_testbed.cli.main import main


def test_upgrade_brings_both_databases_to_their_newest_revision(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    data_dir = tmp_path / "data"
    assert main(["db", "status", "--data-dir", str(data_dir)]) == 0
    assert capsys.readouterr().out.split("\n")[:2] == [
        "pipeline  no database yet",
        "emulator  no database yet",
    ]
    assert main(["db", "upgrade", "--data-dir", str(data_dir)]) == 0
    assert capsys.readouterr().out.split("\n")[:2] == [
        "pipeline  0002 (newest)",
        "emulator  0002 (newest)",
    ]
    assert (data_dir / "pipeline.sqlite3").is_file()
    assert (data_dir / "emulator" / "emulator.sqlite3").is_file()


def test_a_new_revision_follows_the_newest_one(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    scripts = tmp_path / "migrations"
    shutil.copytree(db._scripts("emulator"), scripts)
    monkeypatch.setattr(db, "_scripts", lambda part: scripts)
    written = Path(db.new_revision("emulator", "Nothing changed yet"))
    assert written.parent == scripts / "versions"
    assert written.name == "0003_nothing_changed_yet.py"
    text = written.read_text()
    assert "down_revision = '0002'" in text
    # The tables and the revisions agree: nothing to migrate.
    assert "pass" in text.split("def upgrade()", 1)[1].split("def downgrade()", 1)[0]


def test_revision_without_a_message_is_refused(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["db", "revision", "--part", "pipeline"]) == 2
    assert "needs --part and -m MESSAGE" in capsys.readouterr().err
