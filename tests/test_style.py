"""The code stays ruff-clean: checked with the tests so CI and the README run one command."""

import shutil
import subprocess
import sys
from pathlib import Path

from quiz.app import REPO_ROOT


def test_ruff_is_clean():
    ruff = shutil.which("ruff") or str(Path(sys.executable).with_name("ruff"))
    result = subprocess.run([ruff, "check", "."], cwd=REPO_ROOT,
                            capture_output=True, text=True)
    assert result.returncode == 0, result.stdout + result.stderr
