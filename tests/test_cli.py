"""The `cordon` command: the newcomer's `cordon demo`, users, import and export."""

import os
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest

from cordon.cli import main

ROOT = Path(__file__).resolve().parent.parent


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def test_cordon_demo_serves_the_demo_operation_on_a_fresh_data_directory(tmp_path):
    port = free_port()
    env = {k: v for k, v in os.environ.items() if not k.startswith(("CORDON_", "DJANGO_"))}
    env["CORDON_DATA_DIR"] = str(tmp_path / "data")
    proc = subprocess.Popen(
        [sys.executable, "-m", "cordon.cli", "demo", "--port", str(port), "--workers", "1"],
        cwd=tmp_path,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    try:
        deadline = time.monotonic() + 120
        status = None
        while time.monotonic() < deadline and proc.poll() is None:
            try:
                with urllib.request.urlopen(
                    f"http://127.0.0.1:{port}/accounts/login/", timeout=2
                ) as r:
                    status = r.status
                    css = urllib.request.urlopen(
                        f"http://127.0.0.1:{port}/static/cordon/cordon.css", timeout=2
                    ).status
                break
            except OSError:
                time.sleep(0.5)
        assert status == 200, proc.stdout.read() if proc.poll() is not None else "no answer"
        assert css == 200
    finally:
        proc.terminate()
        output = proc.communicate(timeout=30)[0]
    assert "Loaded: 示范分局疫情防控处置行动, 610 people" in output
    assert f"http://127.0.0.1:{port}/" in output
    assert "planner" in output and "cordon-demo" in output
    assert (tmp_path / "data" / "cordon.sqlite3").exists()
    assert (tmp_path / "data" / "secret_key").exists()


@pytest.mark.django_db
def test_createuser_makes_a_station_chief(world, monkeypatch, capsys):
    monkeypatch.setattr("sys.stdin", __import__("io").StringIO("a-long-passphrase-42\n"))
    assert (
        main(
            [
                "createuser",
                "chief2",
                "--role",
                "station_chief",
                "--station",
                "S1",
                "--password-stdin",
            ]
        )
        == 0
    )
    from cordon.accounts.models import User

    user = User.objects.get(username="chief2")
    assert (user.role, user.station) == ("station_chief", world.s1)
    assert user.check_password("a-long-passphrase-42")


@pytest.mark.django_db
def test_createuser_refuses_an_unknown_station(world, monkeypatch):
    from django.core.management import CommandError

    monkeypatch.setattr("sys.stdin", __import__("io").StringIO("a-long-passphrase-42\n"))
    with pytest.raises(CommandError, match="--station"):
        main(["createuser", "x", "--role", "station_chief", "--station", "S9", "--password-stdin"])


@pytest.mark.django_db
def test_import_and_export_through_the_command(world, tmp_path, capsys):
    path = tmp_path / "people.csv"
    path.write_text("工号,姓名,类别,单位\nQ1,钱进,民警,S2\n", encoding="utf-8-sig")
    assert main(["import", "people", str(path), "--operation", str(world.op.pk)]) == 0
    out = tmp_path / "out.xlsx"
    assert main(["export", "people", str(out), "--operation", str(world.op.pk)]) == 0
    assert "Wrote 8 people" in capsys.readouterr().out
    assert out.stat().st_size > 0


def test_export_refuses_a_name_that_is_not_xlsx(tmp_path):
    from django.core.management import CommandError

    with pytest.raises(CommandError, match="xlsx"):
        main(["export", "people", str(tmp_path / "people.csv")])


def test_unknown_commands_exit_with_usage(capsys):
    with pytest.raises(SystemExit) as exc:
        main(["fly"])
    assert exc.value.code == 2
