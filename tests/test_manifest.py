"""The Teams app package: schema-valid manifest, proper icons, only handled commands, three files in the zip."""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
import zipfile
from io import BytesIO
from pathlib import Path
from typing import Any

import jsonschema
import pytest
from PIL import Image, ImageChops

from bot.settings import Settings
from cards import texts
from core.vocabulary import EntryKind
from manifest import build, icons
from turn.commands import COMMANDS, Command, parse_command

ROOT = Path(__file__).resolve().parent.parent
SCHEMAS = ROOT / "node_modules" / "@microsoft" / "app-manifest" / "build" / "json-schemas" / "teams"
APP_ID = "6f1c2b7e-3d4a-4c5b-9e8f-0a1b2c3d4e5f"
TENANT_ID = "0d9f8e7c-6b5a-4493-8271-605f4e3d2c1b"


def _schemas_dir() -> Path:
    if not SCHEMAS.is_dir():
        pytest.fail(
            f"Microsoft's manifest schemas are missing ({SCHEMAS.relative_to(ROOT)}): run `make setup`, "
            "which installs the npm package @microsoft/app-manifest from package-lock.json"
        )
    return SCHEMAS


def _settings(**overrides: Any) -> Settings:
    values: dict[str, Any] = {
        "APP_ID": APP_ID,
        "ALLOWED_TENANT_IDS": TENANT_ID,
        "PUBLIC_BASE_URL": "https://styringsbot.albertslund.dk",
    }
    values.update(overrides)
    return Settings(_env_file=None, **values)  # type: ignore[call-arg]


@pytest.fixture(scope="module")
def package(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return build.build_package(_settings(), tmp_path_factory.mktemp("package") / "styringsbot.zip")


@pytest.fixture(scope="module")
def manifest(package: Path) -> dict[str, Any]:
    with zipfile.ZipFile(package) as archive:
        return json.loads(archive.read("manifest.json").decode("utf-8"))


def _icon(package: Path, name: str) -> Image.Image:
    with zipfile.ZipFile(package) as archive:
        image = Image.open(BytesIO(archive.read(name)))
        image.load()
        return image


def test_zip_holds_exactly_the_three_files_at_its_root(package: Path) -> None:
    with zipfile.ZipFile(package) as archive:
        assert archive.testzip() is None
        assert sorted(archive.namelist()) == ["color.png", "manifest.json", "outline.png"]


def test_manifest_is_valid_against_microsofts_schema_for_its_declared_version(manifest: dict[str, Any]) -> None:
    version = manifest["manifestVersion"]
    schema_path = _schemas_dir() / f"v{version}" / "MicrosoftTeams.schema.json"
    assert schema_path.is_file(), f"no schema for the declared manifestVersion {version} in {SCHEMAS}"
    schema = json.loads(schema_path.read_text(encoding="utf-8"))

    validator_class = jsonschema.validators.validator_for(schema)
    # Not check_schema(): that also compiles every pattern with Python's `re`, and the schema has one ECMA-262
    # pattern (\p{L}, in Office add-in `extensions`) that `re` cannot compile. The manifest never reaches it;
    # if it did, validation would raise instead of passing.
    meta_errors = list(validator_class(validator_class.META_SCHEMA).iter_errors(schema))
    assert not meta_errors, meta_errors[0].message
    validator = validator_class(schema, format_checker=validator_class.FORMAT_CHECKER)
    errors = sorted(validator.iter_errors(manifest), key=lambda e: list(e.absolute_path))
    assert not errors, "\n".join(f"{'/'.join(map(str, e.absolute_path))}: {e.message}" for e in errors)

    # The schemas say draft-04, which has no `const`, so the validator above skips the version check.
    assert schema["properties"]["manifestVersion"].get("const") == version
    assert (
        manifest["$schema"]
        == f"https://developer.microsoft.com/json-schemas/teams/v{version}/MicrosoftTeams.schema.json"
    )


def test_manifest_uses_the_newest_generally_available_schema_version() -> None:
    versions = [
        tuple(int(part) for part in path.name[1:].split("."))
        for path in _schemas_dir().iterdir()
        if re.fullmatch(r"v\d+\.\d+", path.name)
    ]
    newest = ".".join(map(str, max(versions)))
    assert newest == build.MANIFEST_VERSION, (
        f"@microsoft/app-manifest now has schema v{newest}: check that Teams accepts it for a bot, "
        "then raise MANIFEST_VERSION in manifest/build.py"
    )


def test_bot_id_and_app_id_come_from_the_settings(manifest: dict[str, Any]) -> None:
    assert manifest["id"] == APP_ID
    assert manifest["bots"][0]["botId"] == APP_ID
    assert manifest["validDomains"] == ["styringsbot.albertslund.dk"]
    assert sorted(manifest["bots"][0]["scopes"]) == ["groupChat", "personal", "team"]
    assert manifest["developer"]["name"] == "Albertslund Kommune"


def test_no_bot_id_is_committed_in_the_manifest_folder() -> None:
    guid = re.compile(rb"[0-9a-fA-F]{8}-([0-9a-fA-F]{4}-){3}[0-9a-fA-F]{12}")
    for path in (ROOT / "manifest").iterdir():
        if path.is_file() and path.suffix in {".py", ".json"}:
            assert not guid.search(path.read_bytes()), f"{path.name} contains a GUID; ids come from settings"


def test_descriptions_explain_tegn_proevehandlinger_and_eksempler(manifest: dict[str, Any]) -> None:
    assert manifest["description"] == {"short": texts.APP_DESCRIPTION_SHORT, "full": texts.APP_DESCRIPTION_FULL}
    full = texts.APP_DESCRIPTION_FULL.casefold()
    for word in (texts.KIND_LABELS[EntryKind.TEGN], texts.FIELD_PROEVEHANDLING, *texts.TEMA_LABELS.values()):
        assert word.casefold() in full, word
    assert len(manifest["description"]["short"]) <= 80
    assert manifest["name"] == {"short": texts.BOT_NAME, "full": texts.APP_NAME_FULL}


def test_every_listed_command_is_one_the_bot_handles(manifest: dict[str, Any]) -> None:
    lists = manifest["bots"][0]["commandLists"]
    assert sorted(scope for entry in lists for scope in entry["scopes"]) == ["groupChat", "personal", "team"]
    described = {str(info.command): info.description for info in COMMANDS}
    for entry in lists:
        for command in entry["commands"]:
            assert parse_command(command["title"]) == Command(command["title"]), command["title"]
            assert command["description"] == described[command["title"]]


def test_command_lists_hold_each_scopes_commands_except_the_documented_leftovers(
    manifest: dict[str, Any],
) -> None:
    for entry in manifest["bots"][0]["commandLists"]:
        (scope,) = entry["scopes"]
        listed = [command["title"] for command in entry["commands"]]
        expected = [str(info.command) for info in COMMANDS if scope in info.scopes]
        left_out = [title for title in expected if title not in listed]
        assert listed == [title for title in expected if title not in left_out]
        # Only the documented ones may be left out, first things first, and only when the list is full.
        assert left_out == [str(c) for c in build.LEFT_OUT_FIRST[: len(left_out)]]
        assert len(listed) <= build.MAX_COMMANDS_PER_LIST
        assert not left_out or len(listed) == build.MAX_COMMANDS_PER_LIST


def test_command_lists_are_trimmed_deterministically_when_a_scope_has_too_many(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    limit = sum("personal" in info.scopes for info in COMMANDS) - 2
    monkeypatch.setattr(build, "MAX_COMMANDS_PER_LIST", limit)
    personal = next(entry for entry in build.command_lists() if entry["scopes"] == ["personal"])
    titles = [command["title"] for command in personal["commands"]]
    assert len(titles) == limit
    assert Command.ANNULLER not in titles and Command.EKSPORT not in titles
    assert titles == [
        str(info.command)
        for info in COMMANDS
        if "personal" in info.scopes and info.command not in (Command.ANNULLER, Command.EKSPORT)
    ]


def test_colour_icon_is_192_square_and_opaque(package: Path) -> None:
    image = _icon(package, "color.png")
    assert image.format == "PNG"
    assert image.size == (192, 192)
    rgba = image.convert("RGBA")
    assert rgba.getchannel("A").getextrema() == (255, 255), "the colour icon must have no transparent pixels"
    assert len(rgba.getcolors(maxcolors=1 << 16) or []) > 2, "the colour icon is blank"


def test_outline_icon_is_32_square_white_on_transparent(package: Path) -> None:
    image = _icon(package, "outline.png")
    assert image.format == "PNG"
    assert image.size == (32, 32)
    assert image.mode == "RGBA"
    data = image.tobytes()
    pixels = [tuple(data[i : i + 4]) for i in range(0, len(data), 4)]
    drawn = [p for p in pixels if p[3] > 0]
    assert all(p[:3] == (255, 255, 255) for p in drawn), "every visible pixel of the outline icon must be white"
    assert len(drawn) > 50, "the outline icon is (nearly) empty"
    assert sum(1 for p in pixels if p[3] == 0) > 200, "the outline icon needs a fully transparent background"
    assert pixels[0][3] == 0 and pixels[31][3] == 0, "the corners of the outline icon must be transparent"


def test_committed_icons_are_what_the_script_draws() -> None:
    for path, render in ((icons.COLOR_PATH, icons.render_color), (icons.OUTLINE_PATH, icons.render_outline)):
        committed = Image.open(path)
        drawn = render()
        assert committed.size == drawn.size and committed.mode == drawn.mode, path.name
        assert ImageChops.difference(committed, drawn).getbbox() is None, (
            f"{path.name} differs from manifest/icons.py: run `python -m manifest icons`"
        )


def test_the_same_settings_build_the_same_bytes(tmp_path: Path, package: Path) -> None:
    again = build.build_package(_settings(), tmp_path / "again.zip")
    assert again.read_bytes() == package.read_bytes()


def _run_cli(tmp_path: Path, **env: str) -> subprocess.CompletedProcess[str]:
    # Run outside the repository so that a developer's .env cannot fill in what the test leaves empty.
    clean = {k: v for k, v in os.environ.items() if k not in {"APP_ID", "ALLOWED_TENANT_IDS", "LOCAL_DEVELOPMENT"}}
    clean.update(env, PYTHONPATH=str(ROOT))
    return subprocess.run(
        [sys.executable, "-m", "manifest", "build", "--out", str(tmp_path / "out.zip")],
        cwd=tmp_path,
        env=clean,
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )


def test_build_command_fails_with_one_clear_line_without_an_app_id(tmp_path: Path) -> None:
    result = _run_cli(tmp_path)
    assert result.returncode != 0
    assert "Traceback" not in result.stderr
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1 and "APP_ID" in lines[0], result.stderr
    assert not (tmp_path / "out.zip").exists()


def test_build_command_writes_the_zip_from_the_settings(tmp_path: Path) -> None:
    result = _run_cli(tmp_path, APP_ID=APP_ID, ALLOWED_TENANT_IDS=TENANT_ID, PUBLIC_BASE_URL="https://bot.example.dk")
    assert result.returncode == 0, result.stderr
    with zipfile.ZipFile(tmp_path / "out.zip") as archive:
        written = json.loads(archive.read("manifest.json"))
    assert written["bots"][0]["botId"] == APP_ID
    assert written["validDomains"] == ["bot.example.dk"]


def test_the_workbench_tab_is_a_personal_tab_with_teams_sso(manifest: dict[str, Any]) -> None:
    [tab] = manifest["staticTabs"]
    assert tab["name"] == texts.TAB_NAME and tab["scopes"] == ["personal"]
    assert tab["contentUrl"] == "https://styringsbot.albertslund.dk/tab"
    # SSO: the app registration and its application ID URI, which web/auth.py checks as the token's audience.
    assert manifest["webApplicationInfo"] == {
        "id": APP_ID,
        "resource": f"api://styringsbot.albertslund.dk/{APP_ID}",
    }
    assert manifest["validDomains"] == ["styringsbot.albertslund.dk"]
