"""The bot as a real process (`python -c "import app; app.main()"`), for crash and multi-instance tests."""

from __future__ import annotations

import asyncio
import os
import signal
import socket
import subprocess
import sys
from dataclasses import dataclass, field
from pathlib import Path

import aiohttp

REPO = Path(__file__).resolve().parents[1]
# Each start imports botbuilder: a few seconds, much more on a loaded machine. A bound, not a timing.
START_WITHIN = 120.0


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


@dataclass
class BotProcess:
    database_url: str
    log: Path
    env: dict[str, str] = field(default_factory=dict)
    port: int = field(default_factory=free_port)
    process: subprocess.Popen[bytes] | None = None

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def start(self) -> None:
        env = {
            **os.environ,
            "DATABASE_URL": self.database_url,
            "HOST": "127.0.0.1",
            "PORT": str(self.port),
            "APP_ID": "",
            "ALLOWED_TENANT_IDS": "tenant-albertslund",
            "NOTIFY_RETRY_BASE_SECONDS": "0.01",
            "EXPORT_SIGNING_KEY": "process-test",
            "LOG_LEVEL": "WARNING",
            **self.env,
        }
        with self.log.open("ab") as out:
            self.process = subprocess.Popen(
                [sys.executable, "-c", "import app; app.main()"], cwd=REPO, env=env, stdout=out, stderr=out
            )

    def alive(self) -> bool:
        return self.process is not None and self.process.poll() is None

    async def wait_up(self, session: aiohttp.ClientSession) -> None:
        async with asyncio.timeout(START_WITHIN):
            while True:
                try:
                    async with session.get(f"{self.url}/healthz") as response:
                        if response.status == 200:
                            return
                except aiohttp.ClientError:
                    pass
                assert self.alive(), f"the bot did not start:\n{self.log.read_text()[-3000:]}"
                await asyncio.sleep(0.1)

    def kill(self) -> None:
        """SIGKILL: no shutdown, no cleanup, as a crash."""
        assert self.process is not None
        self.process.send_signal(signal.SIGKILL)
        self.process.wait()

    async def stop(self) -> None:
        """SIGTERM and wait for the graceful shutdown, without blocking the event loop: the bot may still be
        talking to a stand-in (the connector) served by this very loop."""
        if not self.alive():
            return
        assert self.process is not None
        self.process.terminate()
        try:
            await asyncio.wait_for(asyncio.to_thread(self.process.wait), START_WITHIN)
        except TimeoutError:
            self.process.kill()
            self.process.wait()
            raise AssertionError(f"the bot did not shut down on SIGTERM:\n{self.log.read_text()[-3000:]}") from None
