"""Command line for the database: `python -m storage upgrade` and `python -m storage import FILE.yaml`."""

from __future__ import annotations

import argparse
import asyncio
import logging
import sys

from pydantic import ValidationError

from bot.settings import Settings
from storage import migrate


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m storage", description=__doc__)
    sub = parser.add_subparsers(dest="command", required=True)
    sub.add_parser("upgrade", help="apply all database migrations")
    rev = sub.add_parser("revision", help="autogenerate a new migration (developers)")
    rev.add_argument("-m", "--message", required=True)
    imp = sub.add_parser("import", help="load or update the organisation file (YAML)")
    imp.add_argument("file")
    args = parser.parse_args(argv)
    logging.basicConfig(level=logging.INFO, format="%(levelname)s %(name)s: %(message)s")
    try:
        settings = Settings()
    except ValidationError as error:
        messages = "; ".join(str(e["msg"]).removeprefix("Value error, ") for e in error.errors())
        print(f"Invalid configuration: {messages}", file=sys.stderr)
        return 2

    if args.command == "upgrade":
        migrate.upgrade(settings.DATABASE_URL)
        return 0
    if args.command == "revision":
        from alembic import command

        command.revision(migrate.alembic_config(settings.DATABASE_URL), message=args.message, autogenerate=True)
        return 0
    if args.command == "import":
        from storage.orgfile import OrgFileError, import_file

        try:
            summary = asyncio.run(import_file(settings.DATABASE_URL, args.file))
        except OrgFileError as error:
            print(f"{args.file}: {error}", file=sys.stderr)
            return 1
        print(summary)
        return 0
    return 2


if __name__ == "__main__":
    sys.exit(main())
