"""Command line: `python -m manifest build [--out dist/styringsbot.zip]` and `python -m manifest icons`."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from pydantic import ValidationError

from bot.settings import Settings
from manifest import build, icons


def _settings() -> Settings:
    """The settings from .env and the environment, or a one-line reason on stderr and exit code 1."""
    try:
        return Settings()
    except ValidationError as error:
        details = error.errors()[0]
        inner = details.get("ctx", {}).get("error")
        message = str(inner) if inner is not None else f"{'.'.join(map(str, details['loc']))}: {details['msg']}"
        print(f"error: cannot read the settings: {message}", file=sys.stderr)
        raise SystemExit(1) from None


def _build(out: Path, version: str | None) -> int:
    settings = _settings()
    try:
        path = build.build_package(settings, out, version=version)
    except build.ManifestError as error:
        print(f"error: {error}", file=sys.stderr)
        return 1
    if not settings.PUBLIC_BASE_URL.startswith("https://"):
        print(
            f"warning: PUBLIC_BASE_URL is {settings.PUBLIC_BASE_URL}; set it to the bot's public https address "
            "before building the package for your tenant",
            file=sys.stderr,
        )
    manifest = build.build_manifest(settings, version=version)
    print(
        f"{path}: manifest {manifest['manifestVersion']}, app version {manifest['version']}, "
        f"bot {manifest['bots'][0]['botId']}"
    )
    return 0


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m manifest", description=__doc__)
    sub = parser.add_subparsers(dest="command", required=True)
    build_cmd = sub.add_parser("build", help="build the Teams app package from the settings (needs APP_ID)")
    build_cmd.add_argument("--out", type=Path, default=Path("dist") / build.PACKAGE_NAME, help="zip to write")
    build_cmd.add_argument(
        "--version", help="app version in the manifest (default: pyproject.toml); raise it for every update"
    )
    sub.add_parser("icons", help="redraw manifest/color.png and manifest/outline.png")
    args = parser.parse_args(argv)

    if args.command == "build":
        return _build(args.out, args.version)
    color, outline = icons.write_icons()
    print(f"{color}\n{outline}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
