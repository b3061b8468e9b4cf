"""Both languages complete: every string the code marks for translation has a zh-Hans entry.

Runs Django's makemessages (GNU gettext) on a copy of the package and compares its catalogue
with the committed one, so a new string without a translation fails here. English is the source
language: every msgid is the English text.
"""

import shutil
import subprocess
import sys
from pathlib import Path

from babel.messages.pofile import read_po

PACKAGE = Path(__file__).resolve().parent.parent / "cordon"
CATALOGUE = PACKAGE / "locale" / "zh_Hans" / "LC_MESSAGES" / "django.po"


def _entries(path: Path):
    with path.open("rb") as f:
        return {m.id: m for m in read_po(f) if m.id}


def test_every_committed_entry_is_translated():
    missing = [
        m.id
        for m in _entries(CATALOGUE).values()
        if m.fuzzy or not (all(m.string) if isinstance(m.string, tuple) else m.string)
    ]
    assert missing == []


def test_every_marked_string_is_in_the_catalogue(tmp_path):
    assert shutil.which("msgfmt"), "GNU gettext is needed (apt-get install gettext)"
    copy = tmp_path / "cordon"
    shutil.copytree(PACKAGE, copy, ignore=shutil.ignore_patterns("__pycache__", "*.mo"))
    (copy / "locale" / "zh_Hans" / "LC_MESSAGES" / "django.po").unlink()
    subprocess.run(
        [
            sys.executable,
            "-m",
            "django",
            "makemessages",
            "-l",
            "zh_Hans",
            "--no-location",
            "--ignore",
            "planner/*",
            "--ignore",
            "reference/*",
            "-e",
            "html,py,txt",
        ],
        cwd=copy,
        check=True,
        capture_output=True,
        env={
            "DJANGO_SETTINGS_MODULE": "tests.settings",
            "PYTHONPATH": str(PACKAGE.parent),
            "PATH": "/usr/bin:/bin",
        },
    )
    extracted = set(_entries(copy / "locale" / "zh_Hans" / "LC_MESSAGES" / "django.po"))
    committed = set(_entries(CATALOGUE))
    assert sorted(extracted - committed) == []
