"""docker-compose.yml: valid against the Compose specification, and unusable without the `.env`
that .env.example documents.

There is no Docker engine here, so Compose's own `config` cannot run: the file is checked against
the compose-spec JSON schema (vendored by check-jsonschema), and its `${...}` interpolation is
evaluated by the small interpreter below, which follows the rules of the Compose specification
(`$$` escapes, `${VAR}`, `${VAR:-default}`, `${VAR-default}`, `${VAR:?error}`, `${VAR?error}`,
`${VAR:+alt}`, `${VAR+alt}`, nested in defaults).
"""

import json
import re
from importlib import resources
from pathlib import Path

import jsonschema
import pytest
import yaml

ROOT = Path(__file__).resolve().parents[2]
COMPOSE = yaml.safe_load((ROOT / "docker-compose.yml").read_text())
REQUIRED = ("SECRET_KEY", "ALLOWED_HOSTS", "SITE_URL", "POSTGRES_PASSWORD")
NAME = re.compile(r"[A-Za-z_][A-Za-z0-9_]*")


class MissingVariable(Exception):
    pass


def _resolve(expression: str, env: dict) -> str:
    match = re.fullmatch(r"([A-Za-z_][A-Za-z0-9_]*)(?:(:?[-?+])(.*))?", expression, re.S)
    assert match, f"not a Compose substitution: ${{{expression}}}"
    name, operator, argument = match.groups()
    value = env.get(name)
    if operator is None:
        return value or ""
    absent = not value if operator.startswith(":") else value is None
    if operator.endswith("-"):
        return interpolate(argument, env) if absent else value
    if operator.endswith("?"):
        if absent:
            raise MissingVariable(f"{name}: {interpolate(argument, env)}")
        return value
    return "" if absent else interpolate(argument, env)


def interpolate(text: str, env: dict) -> str:
    out, i = [], 0
    while i < len(text):
        if text[i] != "$":
            out.append(text[i])
            i += 1
        elif text.startswith("$$", i):
            out.append("$")
            i += 2
        elif text.startswith("${", i):
            depth, j = 1, i + 2
            while depth:
                assert j < len(text), f"unclosed ${{ in {text!r}"
                depth += {"{": 1, "}": -1}.get(text[j], 0)
                j += 1
            out.append(_resolve(text[i + 2 : j - 1], env))
            i = j
        elif match := NAME.match(text, i + 1):
            out.append(env.get(match.group(0), ""))
            i = match.end()
        else:
            out.append("$")
            i += 1
    return "".join(out)


def render(node, env: dict, errors: list):
    """The compose file with every string interpolated; MissingVariable messages go to errors."""
    if isinstance(node, dict):
        return {key: render(value, env, errors) for key, value in node.items()}
    if isinstance(node, list):
        return [render(value, env, errors) for value in node]
    if isinstance(node, str):
        try:
            return interpolate(node, env)
        except MissingVariable as error:
            errors.append(str(error))
            return None
    return node


class _Recorder(dict):
    """An environment that notes every variable looked up and has them all set."""

    def __init__(self, seen: set):
        super().__init__()
        self.seen = seen

    def get(self, name, default=None):
        self.seen.add(name)
        return "set"


def env_example() -> dict:
    """.env.example as docker compose would read it once copied to .env (comments skipped)."""
    values = {}
    for line in (ROOT / ".env.example").read_text().splitlines():
        if line.strip() and not line.lstrip().startswith("#"):
            name, _, value = line.partition("=")
            values[name.strip()] = value.strip()
    return values


def test_compose_file_is_valid_against_the_compose_specification():
    schema = json.loads(
        resources.files("check_jsonschema.builtin_schemas.vendor").joinpath("compose-spec.json").read_text()
    )
    jsonschema.Draft202012Validator(schema).validate(COMPOSE)


def test_interpreter_follows_compose_rules():
    env = {"SET": "x", "EMPTY": ""}
    assert interpolate("$$SET ${SET} $SET ${EMPTY:-d} ${EMPTY-d} ${UNSET-d}", env) == "$SET x x d  d"
    assert interpolate("${UNSET:-a${SET}b} ${SET:+alt} ${EMPTY:+alt}", env) == "axb alt "
    with pytest.raises(MissingVariable, match="EMPTY: say so"):
        interpolate("${EMPTY:?say so}", env)
    assert interpolate("${EMPTY?fine when set, even empty}", env) == ""


def test_every_app_service_requires_the_env_file():
    app_services = {name: s for name, s in COMPOSE["services"].items() if "build" in s}
    assert set(app_services) == {"migrate", "web", "worker", "beat"}
    for name, service in app_services.items():
        assert service["env_file"] == [{"path": ".env", "required": True}], name


def test_compose_refuses_to_start_without_the_required_variables():
    errors = []
    render(COMPOSE, {}, errors)
    for name in REQUIRED:
        assert any(error.startswith(f"{name}: set {name} in .env") for error in errors), (name, errors)

    # A copy of .env.example left as it is: the four are empty there, and still refused.
    errors = []
    render(COMPOSE, env_example(), errors)
    assert {error.split(":")[0] for error in errors} == set(REQUIRED)


def test_compose_with_a_filled_in_env_gives_the_app_its_settings():
    env = {
        **env_example(),
        "SECRET_KEY": "0123456789abcdef" * 4,
        "ALLOWED_HOSTS": "kzai.example.kz",
        "SITE_URL": "https://kzai.example.kz",
        "POSTGRES_PASSWORD": "pg-secret",
    }
    errors = []
    rendered = render(COMPOSE, env, errors)
    assert errors == []
    web = rendered["services"]["web"]["environment"]
    assert web["SECRET_KEY"] == env["SECRET_KEY"] and web["ALLOWED_HOSTS"] == "kzai.example.kz"
    assert web["DATABASE_URL"] == "postgres://kzai:pg-secret@postgres:5432/kzai"
    assert rendered["services"]["postgres"]["environment"]["POSTGRES_PASSWORD"] == "pg-secret"


def test_env_example_lists_every_variable_settings_and_compose_read():
    settings_source = (ROOT / "kzai" / "settings.py").read_text()
    read_by_settings = set(re.findall(r"\benv(?:\.\w+)?\(\s*\"([A-Z][A-Z0-9_]*)\"", settings_source))
    read_by_compose = set()  # from the parsed file's strings, so comments don't count
    render(COMPOSE, _Recorder(read_by_compose), [])
    assert {"SECRET_KEY", "DEBUG", "DATABASE_URL"} <= read_by_settings and set(REQUIRED) <= read_by_compose
    example = (ROOT / ".env.example").read_text()
    listed = set(re.findall(r"^#? ?([A-Z][A-Z0-9_]*)=", example, re.M))
    assert (read_by_settings | read_by_compose) - listed == set()
