"""The README's production walk-through, read as a test can run it.

`commands()` returns every shell command in the README's "Running in
production" section, in order. `classify()` says what the deploy test does
with each: runs it here as written (`Kind.RUN`), does what it stands for on
a machine without the server's services (`Kind.STAND_IN`, with how), or
leaves it to the server (`Kind.SERVER`, with why). A command it does not know
is an error, so the README cannot gain a step the test does not account for.

`Localiser` moves the walk-through's system paths (/srv/circles, /etc/circles
and the rest) into a test's folder, and its `circles` account to whoever runs
the test; `unit_directives()` reads a systemd unit as systemd would, enough to
start its ExecStart lines by hand.
"""

import enum
import grp
import os
import pwd
import re
import shlex
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from pathlib import Path

REPO_ROOT = Path(__file__).resolve().parents[2]
README = REPO_ROOT / "README.md"
DEPLOY = REPO_ROOT / "deploy"
SECTION_START = "## Running in production\n"
SECTION_END = "## Developing\n"
# The code's folder on the server: the test runs on this checkout instead.
SERVER_APP = "/srv/circles/app"


class Kind(enum.Enum):
    RUN = "run here as written"
    STAND_IN = "stood in for"
    SERVER = "left to the server"


@dataclass(frozen=True)
class Rule:
    pattern: str
    kind: Kind
    why: str


# Commands the test runs as the README writes them, with the paths moved.
RUN_HERE = {
    r"^install ": "folders and files, with their owners and modes",
    r"^ln -s ": "links",
    r"^rm -f /etc/nginx/sites-enabled/": "Debian's default site",
    r"^redis_password=": "a new password",
    r"^sed -i ": "edits of the environment and the nginx site",
    r"^openssl genpkey ": "the signing key",
    r"^(chgrp|chmod) ": "the signing key's group and mode",
    r"^circles-manage ": "manage.py as the site's account, with its environment",
    r"^curl ": "checks, through a curlrc that points the host at the test's ports",
    r"^ls ": "a look at the backups",
}
# Commands the test stands in for: what it does instead, here.
STAND_INS = {
    r"^circles-manage createsuperuser$": "--noinput, answered by DJANGO_SUPERUSER_*",
    r"^circles-manage restore ": "first a new server: services stopped, empty database",
    r"^editor /etc/circles/env$": "this machine's servers, folders and buckets",
    r"^certbot certonly ": "a certificate made by openssl at certbot's paths",
    r"^nginx -t$": "nginx -t with the site on the test's ports",
    r"^systemctl (enable --now|restart|reload) circles-(web|worker)\b": (
        "the units' ExecStart, started here; reload is gunicorn's HUP"
    ),
    r"^systemctl reload nginx$": "nginx started with the site",
    r"^systemctl enable --now circles-\w+\.timer$": "the timer's service, run once",
    r"^systemctl start circles-\w+\.service$": "the service's Exec lines, run here",
}
# Commands only the server can run, and why the test can do without them.
SERVER_ONLY = {
    r"^host=": "the test names its own host, circles.test",
    r"^apt-get ": "Debian packages: make setup and scripts/stack.sh installed them",
    r"^adduser ": "the circles account: the test runs as whoever runs it",
    r"^git ": "the code: the test runs on this checkout",
    r"^python3\.11 -m venv ": "the virtualenv: the test uses make setup's .venv",
    r"/\.venv/bin/pip install ": "requirements.txt: make setup installed it",
    r"^npm ci ": "node packages: make setup installed node_modules",
    r"^runuser -u postgres -- ": "the system PostgreSQL: the test uses the stack's",
    r"^printf .*/etc/redis/": "the system Redis's password: the stack's has none",
    r"^systemctl (daemon-reload|restart redis-server)$": "systemd does not run here",
}
RULES = [
    *(Rule(pattern, Kind.STAND_IN, why) for pattern, why in STAND_INS.items()),
    *(Rule(pattern, Kind.RUN, why) for pattern, why in RUN_HERE.items()),
    *(Rule(pattern, Kind.SERVER, why) for pattern, why in SERVER_ONLY.items()),
]
# Run once: the same files again, and a minute or two of compressing.
RUN_ONCE = {"circles-manage collectstatic --noinput"}


def production_section() -> str:
    text = README.read_text()
    return text[text.index(SECTION_START) : text.index(SECTION_END)]


def commands() -> list[str]:
    """Every command in the section's ```sh blocks, continuation lines joined."""
    found = []
    for block in re.findall(r"^```sh\n(.*?)^```$", production_section(), re.M | re.S):
        for line in block.replace("\\\n", " ").splitlines():
            command = re.sub(r"\s+", " ", line).strip()
            if command and not command.startswith("#"):
                found.append(command)
    return found


def classify(command: str) -> Rule:
    """The rule for a command; LookupError when no rule knows it."""
    for rule in RULES:
        if re.search(rule.pattern, command):
            return rule
    raise LookupError(f"The deploy test does not know this command: {command}")


# The walk-through's system paths, and where the test keeps each. Longer paths
# are matched first, so /srv/circles/app is the checkout, not srv-circles/app.
SYSTEM_PATHS = {
    SERVER_APP: None,
    "/srv/circles": "srv-circles",
    "/var/lib/circles": "var-lib-circles",
    "/var/cache/circles": "var-cache-circles",
    "/var/backups/circles": "var-backups-circles",
    "/etc/circles": "etc-circles",
    "/etc/nginx": "etc-nginx",
    "/etc/systemd/system": "etc-systemd-system",
    "/etc/letsencrypt": "etc-letsencrypt",
    "/usr/local/bin": "usr-local-bin",
    "/var/log/nginx": "var-log-nginx",
}
# A path left over after localising: the command would touch this machine.
_SYSTEM_PATH = re.compile(r"(?<![\w./-])/(etc|srv|var|run|usr/local)/")


class Localiser:
    """Move the walk-through's paths into folder, and its account to ours."""

    def __init__(self, folder: Path):
        self.folder = folder
        self.paths = {
            system: str(REPO_ROOT if local is None else folder / local)
            for system, local in SYSTEM_PATHS.items()
        }
        self._pattern = re.compile(
            "|".join(re.escape(path) for path in sorted(self.paths, key=len)[::-1])
        )
        self.user = pwd.getpwuid(os.geteuid()).pw_name
        self.group = grp.getgrgid(os.getegid()).gr_name

    def path(self, system_path: str) -> Path:
        return Path(self.text(system_path))

    def text(self, text: str) -> str:
        """text with every system path moved into the test's folder."""
        return self._pattern.sub(lambda match: self.paths[match.group()], text)

    def command(self, command: str) -> str:
        """The command as it runs here; ValueError if it would reach outside."""
        local = self.text(command)
        local = re.sub(r"-o (root|circles)\b", f"-o {self.user}", local)
        local = re.sub(r"(-g|chgrp) circles\b", rf"\1 {self.group}", local)
        if _SYSTEM_PATH.search(local.replace(str(self.folder), "")):
            raise ValueError(f"This command would touch the system here: {local}")
        return local


# --- systemd units ------------------------------------------------------------


def unit_directives(unit: Path) -> Iterator[tuple[str, str]]:
    """(key, value) for each directive of a unit file, in order."""
    for line in unit.read_text().splitlines():
        line = line.strip()
        if line and not line.startswith(("#", ";", "[")):
            key, _, value = line.partition("=")
            yield key.strip(), value.strip()


def unit_values(unit: Path, key: str) -> list[str]:
    return [value for name, value in unit_directives(unit) if name == key]


def read_environment_file(path: Path) -> dict[str, str]:
    """KEY=VALUE lines as systemd's EnvironmentFile= reads them (no quotes used)."""
    values = {}
    for line in path.read_text().splitlines():
        line = line.strip()
        if line and not line.startswith(("#", ";")):
            key, _, value = line.partition("=")
            values[key.strip()] = value.strip()
    return values


def exec_arguments(line: str, environment: Mapping[str, str]) -> list[str]:
    """An Exec line's arguments, with systemd's $$, %% and ${NAME} resolved."""
    if re.search(r"%[^%]", line.replace("%%", "")):
        raise ValueError(f"A unit specifier the test does not resolve: {line}")

    def resolve(match: re.Match) -> str:
        if match.group() == "$$":
            return "$"
        return environment[match.group(1) or match.group(2)]

    line = re.sub(r"\$\$|\$\{(\w+)\}|\$(\w+)", resolve, line)
    return shlex.split(line.replace("%%", "%"))
