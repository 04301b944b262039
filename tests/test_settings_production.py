"""Production guard: with an APP_ID and no allowed tenant the app refuses to start; local development still runs."""

from __future__ import annotations

import contextlib
import os
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path

import pytest

from bot.settings import Settings

ROOT = Path(__file__).resolve().parent.parent
APP_ID = "6f1c2b7e-3d4a-4c5b-9e8f-0a1b2c3d4e5f"
# Everything the app reads that could make a run pass or fail for reasons other than the one under test.
_CONTROLLED = {"APP_ID", "APP_PASSWORD", "APP_TYPE", "APP_TENANTID", "ALLOWED_TENANT_IDS", "LOCAL_DEVELOPMENT"}


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


# The two ways the bot is started: `python app.py` (what `make run` ends in), and scripts/start.sh (Docker and
# App Service), which applies the migrations first.
STARTS = {
    "app.py": [sys.executable, str(ROOT / "app.py")],
    "start.sh": ["sh", str(ROOT / "scripts" / "start.sh")],
}


def _env(tmp_path: Path, **values: str) -> dict[str, str]:
    env = {key: value for key, value in os.environ.items() if key not in _CONTROLLED}
    env.update(
        DATABASE_URL=f"sqlite+aiosqlite:///{tmp_path / 'bot.db'}",
        HOST="127.0.0.1",
        PORT=str(_free_port()),
        PYTHONPATH=str(ROOT),
        # start.sh calls `python`: the interpreter running the tests, with the project's dependencies.
        PATH=os.pathsep.join([str(Path(sys.executable).parent), os.environ.get("PATH", "")]),
        **values,
    )
    return env


@pytest.mark.parametrize("start", STARTS)
def test_app_with_an_app_id_but_no_allowed_tenant_refuses_to_start(tmp_path: Path, start: str) -> None:
    # The working directory is tmp_path so that a developer's .env cannot supply ALLOWED_TENANT_IDS.
    env = _env(tmp_path, APP_ID=APP_ID, APP_PASSWORD="not-a-real-secret", ALLOWED_TENANT_IDS="")
    try:
        result = subprocess.run(
            STARTS[start],
            cwd=tmp_path,
            env=env,
            capture_output=True,
            text=True,
            timeout=60,
            check=False,
        )
    except subprocess.TimeoutExpired:
        pytest.fail("app.py kept running with APP_ID set and ALLOWED_TENANT_IDS empty; it must refuse to start")
    assert result.returncode != 0
    assert "ALLOWED_TENANT_IDS" in result.stderr, result.stderr
    assert "LOCAL_DEVELOPMENT" in result.stderr, result.stderr
    assert "Traceback" not in result.stderr, result.stderr


def test_settings_without_an_app_id_need_no_tenant_and_no_development_flag() -> None:
    settings = Settings(_env_file=None, APP_ID="", ALLOWED_TENANT_IDS=[], LOCAL_DEVELOPMENT=False)  # type: ignore[call-arg]
    assert settings.APP_ID == ""
    assert settings.ALLOWED_TENANT_IDS == []
    assert settings.tenant_allowed("any-tenant")


def _signal_group(process: subprocess.Popen[str], signum: int) -> None:
    with contextlib.suppress(ProcessLookupError):
        os.killpg(process.pid, signum)


def _get(url: str) -> int:
    with urllib.request.urlopen(url, timeout=2) as response:
        return int(response.status)


@pytest.mark.parametrize("start", STARTS)
def test_app_without_an_app_id_starts_and_answers_healthz(tmp_path: Path, start: str) -> None:
    """Local development (`make run`): no APP_ID, so requests are not authenticated and no tenant is needed."""
    env = _env(tmp_path)
    if start == "app.py":  # `make run` migrates first (make migrate); start.sh does it itself.
        migrate = subprocess.run(
            [sys.executable, "-m", "cli", "upgrade"],
            cwd=tmp_path,
            env=env,
            capture_output=True,
            text=True,
            timeout=120,
            check=False,
        )
        assert migrate.returncode == 0, migrate.stderr
    url = f"http://127.0.0.1:{env['PORT']}/healthz"
    with subprocess.Popen(
        STARTS[start],
        cwd=tmp_path,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        text=True,
        start_new_session=True,  # so that stopping it also stops a child start.sh is still waiting on
    ) as process:
        status = None
        deadline = time.monotonic() + 60
        while status is None and time.monotonic() < deadline and process.poll() is None:
            try:
                status = _get(url)
            except (urllib.error.URLError, ConnectionError):
                time.sleep(0.2)
        _signal_group(process, signal.SIGTERM)
        try:
            _, stderr = process.communicate(timeout=20)
        except subprocess.TimeoutExpired:
            _signal_group(process, signal.SIGKILL)
            _, stderr = process.communicate()
    assert status == 200, f"{start} did not answer {url} (exit code {process.returncode}):\n{stderr}"
    assert "Traceback" not in stderr, stderr
