"""`make run` stops cleanly (issue 23: "make run does not always stop cleanly"): scripts/run.sh is started 20 times
and stopped as make stops it, with the terminal's SIGTERM to the whole process group and the second SIGTERM that
make passes on right after. Each time, nothing may be left: no process on the bot's port, no `styringsbot-run.*`
temp dir. The bot alone is started (PLAYGROUND=0) on a database migrated once (PREPARE=0), to keep this short."""

from __future__ import annotations

import contextlib
import os
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest

pytestmark = pytest.mark.slow

ROOT = Path(__file__).resolve().parents[1]
STOPS = 20


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def _listening(port: int) -> bool:
    with socket.socket() as probe:
        probe.settimeout(0.5)
        return probe.connect_ex(("127.0.0.1", port)) == 0


def _wait_until_up(port: int, process: subprocess.Popen[bytes], within: float = 60.0) -> None:
    deadline = time.monotonic() + within
    while time.monotonic() < deadline:
        assert process.poll() is None, "run.sh ended before the bot came up"
        try:
            with urllib.request.urlopen(f"http://127.0.0.1:{port}/healthz", timeout=1) as response:
                if response.status == 200:
                    return
        except OSError:
            pass
        time.sleep(0.1)
    raise AssertionError("the bot did not come up")


def test_run_sh_stops_cleanly_every_time(tmp_path: Path) -> None:
    temp = tmp_path / "tmp"
    temp.mkdir()
    database = f"sqlite+aiosqlite:///{tmp_path / 'run.db'}"
    env = {
        "PATH": os.environ.get("PATH", "/usr/bin:/bin"),
        "HOME": str(tmp_path),
        "TMPDIR": str(temp),
        "DATABASE_URL": database,
        "PORT": str(_free_port()),
        "PLAYGROUND": "0",
        "PREPARE": "0",
        "LOG_LEVEL": "WARNING",
    }
    subprocess.run(
        [sys.executable, "-m", "cli", "upgrade"], cwd=ROOT, env=env, check=True, capture_output=True, timeout=120
    )
    port = int(env["PORT"])
    for stop in range(STOPS):
        process = subprocess.Popen(
            ["bash", str(ROOT / "scripts" / "run.sh")],
            cwd=ROOT,
            env=env,
            start_new_session=True,  # its own process group, as under make in a terminal
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        try:
            _wait_until_up(port, process)
            os.killpg(process.pid, signal.SIGTERM)  # the terminal's signal, to the whole group
            time.sleep(0.05 * (stop % 4))  # make passes it on a moment later
            with contextlib.suppress(ProcessLookupError):
                os.kill(process.pid, signal.SIGTERM)
            process.wait(timeout=30)
        finally:
            if process.poll() is None:
                os.killpg(process.pid, signal.SIGKILL)
                process.wait()
        assert not _listening(port), f"stop {stop + 1}: the bot is still on port {port}"
        assert not list(temp.glob("styringsbot-run.*")), f"stop {stop + 1}: run.sh left its temp dir"
