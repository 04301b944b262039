"""The operator's command line: `upgrade`, `revision`, `import FILE.yaml`, `export --unit KEY --year Y --out F`,
`export-eksempler --out F`, `export-chefforum --out F`, `demo` (demo eksempler, local development only),
`due [--dry-run]`, and `publish-grundlag --out DIR` (the finished grundlag as a static web site)."""

from __future__ import annotations

import argparse
import asyncio
import logging
import sys
from pathlib import Path

from pydantic import ValidationError

from bot.settings import Settings, explain
from storage import migrate


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m cli", description=__doc__)
    sub = parser.add_subparsers(dest="command", required=True)
    sub.add_parser("upgrade", help="apply all database migrations")
    rev = sub.add_parser("revision", help="autogenerate a new migration (developers)")
    rev.add_argument("-m", "--message", required=True)
    imp = sub.add_parser("import", help="load or update the organisation file (YAML)")
    imp.add_argument("file")
    exp = sub.add_parser("export", help="write a målplan with its approved tegn and learnings to an .xlsx file")
    exp.add_argument("--unit", required=True, help="the unit's key in the organisation file, e.g. kirkebjerg")
    exp.add_argument("--year", required=True, type=int)
    exp.add_argument("--out", required=True, help="the .xlsx file to write")
    sub.add_parser("demo", help="add demo eksempler in every stage (local development only: LOCAL_DEVELOPMENT=true)")
    eks = sub.add_parser("export-eksempler", help="write every eksempel (the indsamler's export) to an .xlsx file")
    eks.add_argument("--out", required=True, help="the .xlsx file to write")
    cf = sub.add_parser("export-chefforum", help="write every unit's newest målplan, by afdeling, to an .xlsx file")
    cf.add_argument("--out", required=True, help="the .xlsx file to write")
    due = sub.add_parser("due", help="send the reminders and digests due now, once (safe beside running bots)")
    due.add_argument("--dry-run", action="store_true", help="only list what is due; send nothing")
    pub = sub.add_parser("publish-grundlag", help="write the finished grundlag as a static web site (no names)")
    pub.add_argument("--out", required=True, help="the directory to write index.html and its stylesheet into")
    args = parser.parse_args(argv)
    logging.basicConfig(level=logging.INFO, format="%(levelname)s %(name)s: %(message)s")
    try:
        settings = Settings()
    except ValidationError as error:
        print(f"Invalid configuration: {explain(error)}", file=sys.stderr)
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
    if args.command == "demo":
        if not settings.LOCAL_DEVELOPMENT:
            print("Demo content is only for local development: set LOCAL_DEVELOPMENT=true.", file=sys.stderr)
            return 1
        from cli.demo import seed_database

        print(f"Demo eksempler: {asyncio.run(seed_database(settings.DATABASE_URL))} added.")
        return 0
    if args.command == "export-eksempler":
        print(f"Wrote {asyncio.run(_export_eksempler(settings.DATABASE_URL, Path(args.out)))}")
        return 0
    if args.command == "export-chefforum":
        print(f"Wrote {asyncio.run(_export_chefforum(settings.DATABASE_URL, Path(args.out)))}")
        return 0
    if args.command == "export":
        try:
            written = asyncio.run(_export(settings.DATABASE_URL, args.unit, args.year, Path(args.out)))
        except LookupError:
            print(f"No målplan for unit '{args.unit}' in {args.year}.", file=sys.stderr)
            return 1
        print(f"Wrote {written}")
        return 0
    if args.command == "publish-grundlag":
        for path in asyncio.run(_publish_grundlag(settings.DATABASE_URL, Path(args.out))):
            print(f"Wrote {path}")
        return 0
    if args.command == "due":
        for line in asyncio.run(_due(settings, dry_run=args.dry_run)):
            print(line)
        return 0
    return 2


async def _due(settings: Settings, *, dry_run: bool) -> list[str]:
    """`due`: the app's own scheduler, outbox and proactive sender, built once by `create_app`, run once without
    serving (nothing is wired twice)."""
    from app import RUN_ONCE, create_app
    from bot.scheduler import run_once

    parts = create_app(settings)[RUN_ONCE]
    try:
        return await run_once(parts.scheduler, dry_run=dry_run)
    finally:
        await parts.close()


async def _export(database_url: str, unit_key: str, year: int, out: Path) -> Path:
    from cards.workbooks import maalplan_workbook
    from domain.export import maalplan_export
    from storage import repo
    from storage.db import create_engine, create_sessionmaker

    engine = create_engine(database_url)
    try:
        async with create_sessionmaker(engine)() as session:
            plan_id = await repo.maalplan_id_by_unit_key(session, unit_key, year)
            if plan_id is None:
                raise LookupError(unit_key)
            export = await maalplan_export(session, plan_id)
    finally:
        await engine.dispose()
    _, content = await asyncio.to_thread(maalplan_workbook, export)
    await asyncio.to_thread(out.write_bytes, content)
    return out


async def _export_chefforum(database_url: str, out: Path) -> Path:
    from cards.workbooks import chefforum_workbook
    from domain.export import chefforum_export
    from storage.db import create_engine, create_sessionmaker

    engine = create_engine(database_url)
    try:
        async with create_sessionmaker(engine)() as session:
            export = await chefforum_export(session)
    finally:
        await engine.dispose()
    _, content = await asyncio.to_thread(chefforum_workbook, export)
    await asyncio.to_thread(out.write_bytes, content)
    return out


async def _export_eksempler(database_url: str, out: Path) -> Path:
    from cards.workbooks import eksempel_workbook
    from domain.eksempel_export import eksempel_export
    from storage.db import create_engine, create_sessionmaker

    engine = create_engine(database_url)
    try:
        async with create_sessionmaker(engine)() as session:
            export = await eksempel_export(session)
    finally:
        await engine.dispose()
    _, content = await asyncio.to_thread(eksempel_workbook, export)
    await asyncio.to_thread(out.write_bytes, content)
    return out


async def _publish_grundlag(database_url: str, out: Path) -> list[Path]:
    from storage.db import create_engine, create_sessionmaker
    from web.grundlag import site, write_site

    engine = create_engine(database_url)
    try:
        async with create_sessionmaker(engine)() as session:
            files = await site(session)
    finally:
        await engine.dispose()
    return await asyncio.to_thread(write_site, files, out)


if __name__ == "__main__":
    sys.exit(main())
