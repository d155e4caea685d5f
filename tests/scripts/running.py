"""What the script tests share: running a script's ``--help`` as a user would, as a file or as a module."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def help_text(command: list[str]) -> str:
    """The ``--help`` output of ``command`` (``["scripts/x.py"]`` or ``["-m", "scripts.x"]``), run from the
    repository with nothing on PYTHONPATH, so that a script run as a file must find its own imports."""
    env = {k: v for k, v in os.environ.items() if k != "PYTHONPATH"}
    result = subprocess.run([sys.executable, *command, "--help"], cwd=ROOT, env=env, capture_output=True,
                            text=True, check=False)
    assert result.returncode == 0, result.stderr
    return result.stdout
