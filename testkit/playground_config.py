"""The Agents Playground's configuration with another person as the current user.

`make run` uses it (PLAYGROUND_USER=...), and the end-to-end tests start one Playground per current user with it:
`python -m testkit.playground_config config --user lars.mikkelsen@albertslund.dk DIR` prints the written file.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import Any

import yaml

REPO = Path(__file__).resolve().parents[1]
PLAYGROUND_CONFIG = REPO / ".m365agentsplayground.yml"


def playground_config(user: str | None = None, *, source: Path = PLAYGROUND_CONFIG) -> dict[str, Any]:
    """The Playground config with `user` as the current user, swapped with whoever was current.

    The Playground wants the exact structure of its default file (exactly five `users`), so people are only
    swapped, never added or removed. Each current user gets their own personal chat id, as in Teams.
    """
    config: dict[str, Any] = yaml.safe_load(source.read_text(encoding="utf-8"))
    if user is None:
        return config
    person = find_person(config, user)
    if person is config["currentUser"]:
        return config
    users: list[dict[str, Any]] = config["users"]
    users[users.index(person)] = config["currentUser"]
    config["currentUser"] = person
    config["personalChat"]["id"] = personal_chat_id(person)
    return config


def find_person(config: dict[str, Any], user: str) -> dict[str, Any]:
    """The person in the config known by e-mail, user principal name, display name, Teams id or aadObjectId."""
    wanted = user.strip().casefold()
    people: list[dict[str, Any]] = [config["currentUser"], *config["users"]]
    for person in people:
        keys = ("email", "userPrincipleName", "name", "id", "aadObjectId")
        if wanted in {str(person.get(key, "")).casefold() for key in keys}:
            return person
    known = ", ".join(str(p["email"]) for p in people)
    raise ValueError(f"{user!r} is not a person in {PLAYGROUND_CONFIG.name}; known: {known}")


def personal_chat_id(person: dict[str, Any]) -> str:
    """Teams gives each user's 1:1 chat with the bot its own id (`a:…`); the Playground takes it from the config."""
    return "a:personal-" + str(person["id"]).removeprefix("29:")


def write_playground_config(directory: Path, user: str | None = None) -> Path:
    """Write `.m365agentsplayground.yml` for `user` into `directory`; returns the file."""
    directory.mkdir(parents=True, exist_ok=True)
    path = directory / PLAYGROUND_CONFIG.name
    text = yaml.safe_dump(playground_config(user), sort_keys=False, allow_unicode=True, default_flow_style=False)
    path.write_text(text, encoding="utf-8")
    return path


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m testkit.playground_config", description="Playground config")
    sub = parser.add_subparsers(dest="command", required=True)
    config = sub.add_parser("config", help="write .m365agentsplayground.yml with another current user")
    config.add_argument("--user", help="e-mail, name, Teams id or aadObjectId of the current user")
    config.add_argument("directory", type=Path)
    args = parser.parse_args(argv)
    try:
        print(write_playground_config(args.directory, args.user))
    except ValueError as error:
        print(error, file=sys.stderr)
        return 2
    return 0


if __name__ == "__main__":
    sys.exit(main())
