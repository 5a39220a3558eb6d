"""deploy/ and the README's walk-through, as an operator meets them.

Without the stack (`make test`): gunicorn accepts deploy/gunicorn.conf.py,
systemd accepts every unit, nginx accepts the site, and every command in the
walk-through is one this test runs, stands in for, or leaves to the server.

With the stack (`make test-postgres`): the walk-through runs here, in order
(tests/stack/walkthrough.py says how each command is treated), and the site
it leaves behind nginx is checked from outside: HTTPS, static files, upload
limits, private files, client addresses and the access log.
"""

import http.client
import os
import re
import secrets
import shutil
import signal
import ssl
import subprocess
import time
from contextlib import ExitStack
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

import psycopg
import pytest
import requests
from django.contrib.auth import get_user_model
from django.core.management import get_commands
from django_tasks_db.models import DBTaskResult

from tests import servers
from tests.stack import walkthrough
from tests.stack.walkthrough import DEPLOY, REPO_ROOT, Kind, Localiser

HOST = "circles.test"
UNITS = sorted((DEPLOY / "systemd").iterdir())
SITE = DEPLOY / "nginx" / "circles.conf"
# Bodies nginx must refuse: above the public limit, and above the admin's.
PUBLIC_LIMIT = 6 * 1024 * 1024
ADMIN_LIMIT = 21 * 1024 * 1024
# systemd's PATH for services, and the one the test's shell adds to it.
SERVICE_PATH = "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin"
COMMAND_TIMEOUT = 600

needs_stack = pytest.mark.skipif(
    not (os.environ.get("DATABASE_URL") and os.environ.get("REDIS_URL")),
    reason="runs the walk-through on the stack's PostgreSQL and Redis: "
    "scripts/stack.sh --s3 -- ... (make test-postgres)",
)


def run(argv: list, **options) -> subprocess.CompletedProcess:
    """Run a command line this module built; output as text, failure not raised."""
    return subprocess.run(  # noqa: S603 - fixed tools and arguments built here
        [str(argument) for argument in argv],
        capture_output=True,
        text=True,
        check=False,
        **options,
    )


def tool(name: str) -> str:
    """The full path of one of this machine's programs, or skip saying it is missing."""
    path = shutil.which(name, path=SERVICE_PATH)
    if path is None:
        pytest.skip(f"{name} is not installed")
    return path


def nginx_binary() -> str:
    """Debian's nginx, installed with apt-get when missing."""
    binary = servers.nginx_binary()
    apt_get = shutil.which("apt-get", path=SERVICE_PATH)
    if binary is None and apt_get and os.geteuid() == 0:
        run(
            [apt_get, "install", "-y", "-qq", "--no-install-recommends", "nginx"],
            env={**os.environ, "DEBIAN_FRONTEND": "noninteractive"},
        )
        binary = servers.nginx_binary()
    if binary is None:
        pytest.skip("nginx is not installed and apt-get cannot install it here")
    return binary


def make_certificate(certificate: Path, key: Path) -> None:
    """A self-signed certificate for HOST and 127.0.0.1, made by openssl."""
    certificate.parent.mkdir(parents=True, exist_ok=True)
    made = run(
        [
            *(tool("openssl"), "req", "-x509", "-newkey", "ec"),
            *("-pkeyopt", "ec_paramgen_curve:P-256", "-nodes", "-days", "1"),
            *("-subj", f"/CN={HOST}"),
            *("-addext", f"subjectAltName=DNS:{HOST},IP:127.0.0.1"),
            *("-keyout", key, "-out", certificate),
        ]
    )
    assert made.returncode == 0, made.stderr


@dataclass(frozen=True)
class Ports:
    web: int
    http: int
    https: int

    @classmethod
    def free(cls) -> "Ports":
        return cls(servers.free_port(), servers.free_port(), servers.free_port())


def site_on_ports(text: str, ports: Ports, paths: Localiser) -> str:
    """The nginx site with its ports moved to ours and its paths into the folder."""
    moves = {
        "listen 80;": f"listen 127.0.0.1:{ports.http};",
        "listen [::]:80;": "",
        "listen 443 ssl http2;": f"listen 127.0.0.1:{ports.https} ssl http2;",
        "listen [::]:443 ssl http2;": "",
        "server 127.0.0.1:8000;": f"server 127.0.0.1:{ports.web};",
    }
    for old, new in moves.items():
        assert old in text, f"the site no longer has {old!r}; update this test"
        text = text.replace(old, new)
    return paths.text(text)


def nginx_main_config(folder: Path, sites: str) -> Path:
    """An nginx.conf like Debian's, all in folder, including the sites in `sites`."""
    (folder / "temp").mkdir(parents=True, exist_ok=True)
    # As root, nginx's workers would be `nobody`, who cannot enter the test's
    # private temporary folder; the site's files are readable by root alone.
    user = "user root;\n" if os.geteuid() == 0 else ""
    config = folder / "nginx.conf"
    config.write_text(
        f"{user}worker_processes 1;\ndaemon off;\npid {folder}/nginx.pid;\n"
        f"error_log {folder}/error.log;\nevents {{ worker_connections 256; }}\n"
        "http {\n"
        "    include /etc/nginx/mime.types;\n"
        "    default_type application/octet-stream;\n"
        "    sendfile on;\n    gzip on;\n"
        f"    access_log {folder}/access.log;\n"
        + "".join(
            f"    {kind}_temp_path {folder}/temp/{kind};\n"
            for kind in ("client_body", "proxy", "fastcgi", "uwsgi", "scgi")
        )
        + f"    include {sites};\n}}\n"
    )
    return config


def nginx_test(binary: str, config: Path) -> subprocess.CompletedProcess:
    folder = config.parent
    return run([binary, "-t", "-p", folder, "-e", folder / "error.log", "-c", config])


def example_environment(paths: Localiser) -> dict[str, str]:
    """.env.example's values, paths moved, with the secrets production requires."""
    example = paths.folder / "env"
    example.write_text(paths.text((REPO_ROOT / ".env.example").read_text()))
    return {
        "PATH": SERVICE_PATH,
        **walkthrough.read_environment_file(example),
        "SECRET_KEY": secrets.token_hex(32),
    }


# --- The recipe's files, checked without the stack ----------------------------


def test_every_walk_through_command_is_known_and_stays_in_its_folder(tmp_path):
    paths = Localiser(tmp_path)
    rules = {
        command: walkthrough.classify(command) for command in walkthrough.commands()
    }

    for command, rule in rules.items():
        if rule.kind is not Kind.SERVER:
            paths.command(command)  # raises if it would reach outside tmp_path
    assert {rule.kind for rule in rules.values()} == set(Kind)


def test_the_walk_through_names_only_files_and_commands_that_exist():
    commands = walkthrough.commands()
    text = walkthrough.production_section()
    app_paths = re.findall(r"/srv/circles/app/([\w./*-]+)", " ".join(commands))
    repo_paths = re.findall(r"`((?:deploy|scripts|circles|tests)/[\w./-]+)`", text)
    exec_lines = [
        line
        for unit in UNITS
        for key in ("ExecStart", "ExecStartPost")
        for line in walkthrough.unit_values(unit, key)
    ]
    manage_commands = set(
        re.findall(r"^circles-manage (\w+)", "\n".join(commands), re.M)
        + re.findall(r"manage\.py (\w+)", "\n".join(exec_lines))
    )

    missing = [p for p in app_paths + repo_paths if not list(REPO_ROOT.glob(p))]
    assert not missing, missing
    assert len(app_paths) > 5
    assert manage_commands - set(get_commands()) == set()
    assert manage_commands >= {"migrate", "db_worker", "backup", "restore"}
    assert manage_commands >= {"purge_inactive", "clearsessions", "check"}


def test_gunicorn_accepts_its_config(tmp_path):
    gunicorn = REPO_ROOT / ".venv/bin/gunicorn"

    result = run(
        [
            gunicorn,
            "--print-config",
            "--config",
            "deploy/gunicorn.conf.py",
            "circles.wsgi",
        ],
        cwd=REPO_ROOT,
        env=example_environment(Localiser(tmp_path)),
    )

    assert result.returncode == 0, result.stderr
    assert re.search(r"^bind += \['127\.0\.0\.1:8000'\]$", result.stdout, re.M)


def test_systemd_accepts_every_unit(tmp_path):
    for unit in UNITS:
        (tmp_path / unit.name).write_text(Localiser(tmp_path).text(unit.read_text()))

    result = run(
        [tool("systemd-analyze"), "verify", "--man=no", *(u.name for u in UNITS)],
        cwd=tmp_path,
    )

    assert result.returncode == 0, result.stderr
    assert result.stdout + result.stderr == ""
    assert {u.name for u in UNITS} >= {
        "circles-web.service",
        "circles-worker.service",
        "circles-backup.timer",
        "circles-purge.timer",
    }


def test_nginx_accepts_the_site(tmp_path):
    binary = nginx_binary()
    paths = Localiser(tmp_path)
    make_certificate(
        paths.path(f"/etc/letsencrypt/live/{HOST}/fullchain.pem"),
        paths.path(f"/etc/letsencrypt/live/{HOST}/privkey.pem"),
    )
    paths.path("/var/log/nginx").mkdir(parents=True)
    site = tmp_path / "circles.conf"
    text = SITE.read_text().replace("circles.example.org", HOST)
    site.write_text(site_on_ports(text, Ports.free(), paths))

    result = nginx_test(binary, nginx_main_config(tmp_path / "nginx", str(site)))

    assert result.returncode == 0, result.stderr
    assert "[warn]" not in result.stderr, result.stderr


def test_no_nginx_location_reaches_private_files_or_secrets():
    example = walkthrough.read_environment_file(REPO_ROOT / ".env.example")
    secret_places = [
        example["PRIVATE_MEDIA_ROOT"],
        str(Path(example["SIGNING_KEY_FILE"]).parent),
        walkthrough.SERVER_APP,
    ]
    served = re.findall(r"^\s*(?:root|alias)\s+([^;]+);", SITE.read_text(), re.M)

    assert served == ["/srv/circles/static/", "/srv/circles/media/"]
    for folder in served:
        for place in secret_places:
            assert not (place + "/").startswith(folder), (folder, place)
            assert not folder.startswith(place + "/"), (folder, place)


# --- The walk-through, run here -----------------------------------------------


def database_url(name: str) -> str:
    return urlunsplit(urlsplit(os.environ["DATABASE_URL"])._replace(path=f"/{name}"))


class DeployedSite:
    """The walk-through's server on this machine: folders, settings, processes."""

    def __init__(self, folder: Path, nginx: str):
        self.folder = folder
        self.nginx_binary = nginx
        self.paths = Localiser(folder)
        self.ports = Ports.free()
        self.env_file = self.paths.path("/etc/circles/env")
        self.units = self.paths.path("/etc/systemd/system")
        self.certificate = self.paths.path(
            f"/etc/letsencrypt/live/{HOST}/fullchain.pem"
        )
        self.access_log = self.paths.path("/var/log/nginx/circles.access.log")
        self.transcript: list[str] = []
        self.databases: list[str] = []
        self.processes: dict[str, tuple[ExitStack, servers.Server]] = {}
        self.object_storage = False
        self.statuses_during_reload: list[int] = []
        self._batch: list[str] = []
        self._ran: set[str] = set()
        self._editor_visits = 0
        self._debian_skeleton()

    # Reading the walk-through.

    def follow(self, commands: list[str]) -> None:
        """Run the walk-through: each command as its rule says, in order."""
        for command in commands:
            rule = walkthrough.classify(command)
            if rule.kind is Kind.SERVER:
                continue
            if command in walkthrough.RUN_ONCE and command in self._ran:
                continue
            self._ran.add(command)
            if rule.kind is Kind.RUN:
                self._batch.append(command)
            else:
                self._flush()
                self._stand_in(command)
        self._flush()

    def shell(self, commands: list[str], **extra_env: str) -> str:
        """Run commands in one bash, paths moved; its output, or fail with it."""
        script = "set -euo pipefail\n" + "".join(
            f"printf '\\n$ %s\\n' {_quoted(command)}\n{self.paths.command(command)}\n"
            for command in commands
        )
        result = run(
            ["/bin/bash", "-c", script],
            cwd=self.folder,
            env={**self._shell_env(), **extra_env},
            timeout=COMMAND_TIMEOUT,
        )
        output = result.stdout + result.stderr
        self.transcript.append(output)
        assert result.returncode == 0, output
        return output

    def _flush(self) -> None:
        if self._batch:
            self.shell(self._batch)
            self._batch = []

    def _stand_in(self, command: str) -> None:
        actions = [
            (r"^editor ", self._edit_environment),
            (r"^circles-manage createsuperuser$", self._create_first_trainer),
            (r"^circles-manage restore ", self._restore_on_a_new_server),
            (r"^certbot ", self._make_certificate),
            (r"^nginx -t$", self._check_nginx),
            (r"^systemctl reload nginx$", self._start_nginx),
            (r"^systemctl reload circles-web$", self._reload_web),
            (r"^systemctl (enable --now|restart) (circles-[\w -]+)$", self._start),
            (r"^systemctl enable --now (circles-\w+)\.timer$", self._run_service),
            (r"^systemctl start (circles-\w+)\.service$", self._run_service),
        ]
        for pattern, act in actions:
            if match := re.search(pattern, command):
                act(command, match)
                return
        raise LookupError(f"No stand-in for {command}")

    # Stand-ins.

    def _edit_environment(self, command: str, match: re.Match) -> None:
        self._editor_visits += 1
        if self._editor_visits == 1:
            self._set_machine_values()
        else:
            self._use_object_storage()

    def _set_machine_values(self) -> None:
        """What the operator types in: here, the stack's servers and test limits."""
        values = walkthrough.read_environment_file(self.env_file)
        assert "circles.example.org" not in self.env_file.read_text()
        assert re.fullmatch(r"[0-9a-f]{64}", values["SECRET_KEY"])
        assert re.fullmatch(
            r"redis://:[0-9a-f]{64}@127\.0\.0\.1:6379/0", values["REDIS_URL"]
        )
        # The stack's Redis has no password; a database of its own keeps this
        # site's keys apart from the suite's.
        redis = urlsplit(os.environ["REDIS_URL"])._replace(path="/7")
        self._append_settings(
            {
                "DATABASE_URL": self._new_database(),
                "REDIS_URL": urlunsplit(redis),
                "ISSUER_NAME": "Circles deploy test",
                "EMAIL_BACKEND": "django.core.mail.backends.dummy.EmailBackend",
                "WEB_CONCURRENCY": "2",
                "CERTIFICATE_VERIFY_RATE": "2/h",
            },
            localise=True,
        )

    def _use_object_storage(self) -> None:
        """Two buckets on the stack's S3 server, when it runs one (--s3)."""
        endpoint = os.environ.get("S3_ENDPOINT_URL")
        if not endpoint:
            return
        import boto3

        client = boto3.client("s3", endpoint_url=endpoint, region_name="us-east-1")
        suffix = secrets.token_hex(4)
        buckets = {
            "S3_MEDIA_BUCKET": f"circles-deploy-media-{suffix}",
            "S3_PRIVATE_BUCKET": f"circles-deploy-private-{suffix}",
        }
        for bucket in buckets.values():
            client.create_bucket(Bucket=bucket)
        self._append_settings(
            {
                **buckets,
                "S3_ENDPOINT_URL": endpoint,
                "AWS_S3_REGION_NAME": "us-east-1",
                "AWS_ACCESS_KEY_ID": os.environ["AWS_ACCESS_KEY_ID"],
                "AWS_SECRET_ACCESS_KEY": os.environ["AWS_SECRET_ACCESS_KEY"],
            }
        )
        self.object_storage = True

    def _create_first_trainer(self, command: str, match: re.Match) -> None:
        self.shell(
            [f"{command} --noinput"],
            DJANGO_SUPERUSER_USERNAME="first-trainer",
            DJANGO_SUPERUSER_EMAIL="trainer@circles.test",
            DJANGO_SUPERUSER_PASSWORD=secrets.token_urlsafe(16),
        )

    def _restore_on_a_new_server(self, command: str, match: re.Match) -> None:
        """Steps 1 to 7 on a new server: nothing running, an empty database."""
        for name in list(self.processes):
            if name != "nginx":
                self.stop(name)
        self._append_settings({"DATABASE_URL": self._new_database()})
        if not self.object_storage:
            for folder in ("/srv/circles/media", "/var/lib/circles/private"):
                local = self.paths.path(folder)
                local.rename(local.with_name(local.name + "-lost"))
                local.mkdir()
        self.shell([command])

    def _make_certificate(self, command: str, match: re.Match) -> None:
        make_certificate(self.certificate, self.certificate.with_name("privkey.pem"))

    def _check_nginx(self, command: str, match: re.Match) -> None:
        site = self.paths.path("/etc/nginx/sites-available/circles.conf")
        site.write_text(site_on_ports(site.read_text(), self.ports, self.paths))
        result = nginx_test(self.nginx_binary, self._nginx_config())
        self.transcript.append(result.stderr)
        assert result.returncode == 0, result.stderr

    def _nginx_config(self) -> Path:
        sites = self.paths.path("/etc/nginx/sites-enabled")
        return nginx_main_config(self.folder / "nginx", f"{sites}/*")

    def _start_nginx(self, command: str, match: re.Match) -> None:
        config = self._nginx_config()
        argv = [self.nginx_binary, "-p", str(config.parent)]
        argv += ["-e", str(config.parent / "error.log"), "-c", str(config)]
        self._run_process("nginx", argv, {"PATH": SERVICE_PATH}, port=self.ports.https)

    def _reload_web(self, command: str, match: re.Match) -> None:
        """gunicorn's HUP, with requests arriving all the while through nginx."""
        web = self.processes["circles-web"][1]
        workers = int(self.settings()["WEB_CONCURRENCY"])
        booted = web.log.read_text().count("Booting worker")
        os.kill(web.pid, signal.SIGHUP)
        deadline = time.monotonic() + 120
        while web.log.read_text().count("Booting worker") < booted + workers:
            web.check_alive()
            assert time.monotonic() < deadline, web.log_tail()
            self.statuses_during_reload.append(self.https("/healthz").status_code)
        # One more after the new workers are in, which waits for them to load.
        self.statuses_during_reload.append(self.https("/healthz").status_code)

    def _start(self, command: str, match: re.Match) -> None:
        for name in match.group(2).split():
            if name in self.processes:
                self.stop(name)
            self._start_unit(name)

    def _run_service(self, command: str, match: re.Match) -> None:
        """A oneshot unit's Exec lines in order, as systemd would run them."""
        unit = self.units / f"{match.group(1)}.service"
        environment = self._unit_environment(unit)
        for key in ("ExecStart", "ExecStartPost"):
            for line in walkthrough.unit_values(unit, key):
                result = run(
                    walkthrough.exec_arguments(self.paths.text(line), environment),
                    cwd=self._working_directory(unit),
                    env=environment,
                    timeout=COMMAND_TIMEOUT,
                )
                self.transcript.append(result.stdout + result.stderr)
                assert result.returncode == 0, (line, result.stdout + result.stderr)

    # Units and processes.

    def _start_unit(self, name: str) -> None:
        unit = self.units / f"{name}.service"
        assert self._working_directory(unit) == REPO_ROOT
        environment = self._unit_environment(unit)
        port = None
        if name == "circles-web":
            port = self.ports.web
            # The one thing added to the unit: a free port instead of 8000.
            environment["GUNICORN_CMD_ARGS"] = f"--bind 127.0.0.1:{port}"
        [line] = walkthrough.unit_values(unit, "ExecStart")
        argv = walkthrough.exec_arguments(self.paths.text(line), environment)
        self._run_process(name, argv, environment, port=port)

    def _run_process(self, name, argv, environment, *, port) -> None:
        stack = ExitStack()
        server = stack.enter_context(
            servers.running(
                name,
                argv,
                log=self.folder / "logs" / f"{name}.log",
                env=environment,
                port=port,
            )
        )
        self.processes[name] = (stack, server)

    def stop(self, name: str) -> None:
        stack, _server = self.processes.pop(name)
        stack.close()

    def stop_all(self) -> None:
        for name in list(self.processes):
            self.stop(name)

    def _working_directory(self, unit: Path) -> Path:
        [folder] = walkthrough.unit_values(unit, "WorkingDirectory")
        return self.paths.path(folder)

    def _unit_environment(self, unit: Path) -> dict[str, str]:
        """The environment systemd gives the unit's processes."""
        environment = {
            "PATH": SERVICE_PATH,
            "LANG": "C.UTF-8",
            "HOME": str(self.paths.path("/srv/circles")),
        }
        for assignment in walkthrough.unit_values(unit, "Environment"):
            key, _, value = assignment.partition("=")
            environment[key] = self.paths.text(value)
        for path in walkthrough.unit_values(unit, "EnvironmentFile"):
            environment.update(walkthrough.read_environment_file(self.paths.path(path)))
        folders = {
            "RUNTIME_DIRECTORY": [
                self.folder / "run" / name
                for name in walkthrough.unit_values(unit, "RuntimeDirectory")
            ],
            "CACHE_DIRECTORY": [
                self.paths.path(f"/var/cache/{name}")
                for name in walkthrough.unit_values(unit, "CacheDirectory")
            ],
        }
        for key, made in folders.items():
            for folder in made:
                folder.mkdir(parents=True, exist_ok=True)
            if made:
                environment[key] = ":".join(map(str, made))
        return environment

    # The machine around the walk-through.

    def _debian_skeleton(self) -> None:
        """Folders Debian's packages and adduser would have made."""
        for folder in (
            "/etc/nginx/sites-available",
            "/etc/nginx/sites-enabled",
            "/etc/systemd/system",
            "/usr/local/bin",
            "/var/log/nginx",
        ):
            self.paths.path(folder).mkdir(parents=True, exist_ok=True)
        curl = self.folder / "curl"
        curl.mkdir()
        (curl / ".curlrc").write_text(
            f'connect-to = "{HOST}:443:127.0.0.1:{self.ports.https}"\n'
            f'connect-to = "{HOST}:80:127.0.0.1:{self.ports.http}"\n'
            f'connect-to = "127.0.0.1:8000:127.0.0.1:{self.ports.web}"\n'
            f'cacert = "{self.certificate}"\n'
        )

    def _shell_env(self) -> dict[str, str]:
        return {
            "PATH": f"{self.paths.path('/usr/local/bin')}:{SERVICE_PATH}",
            "HOME": str(self.folder),
            "LANG": "C.UTF-8",
            "host": HOST,
            "CIRCLES_ENV_FILE": str(self.env_file),
            "CIRCLES_USER": self.paths.user,
            "CURL_HOME": str(self.folder / "curl"),
        }

    def _new_database(self) -> str:
        name = f"circles_deploy_{secrets.token_hex(4)}"
        with psycopg.connect(os.environ["DATABASE_URL"], autocommit=True) as admin:
            admin.execute(f'CREATE DATABASE "{name}"')
        self.databases.append(name)
        return database_url(name)

    def drop_databases(self) -> None:
        with psycopg.connect(os.environ["DATABASE_URL"], autocommit=True) as admin:
            for name in self.databases:
                admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')

    def _append_settings(self, values: dict[str, str], localise: bool = False) -> None:
        """Add KEY=VALUE lines; later lines win, for systemd and circles-manage."""
        text = self.env_file.read_text()
        if localise:
            text = self.paths.text(text)
        text += "\n# This machine (tests/stack/test_deploy.py)\n"
        text += "".join(f"{key}={value}\n" for key, value in values.items())
        self.env_file.write_text(text)

    def settings(self) -> dict[str, str]:
        return walkthrough.read_environment_file(self.env_file)

    # Asking the site.

    def https(self, path: str, **kwargs) -> requests.Response:
        kwargs.setdefault("allow_redirects", False)
        return requests.request(
            kwargs.pop("method", "GET"),
            f"https://127.0.0.1:{self.ports.https}{path}",
            headers={"Host": HOST, **kwargs.pop("headers", {})},
            verify=str(self.certificate),
            timeout=60,
            **kwargs,
        )

    def raw(self, method: str, path: str, **headers: str) -> tuple[int, bytes]:
        """Send path exactly as written (no dot segments removed), body never sent."""
        context = ssl.create_default_context(cafile=str(self.certificate))
        connection = http.client.HTTPSConnection(
            "127.0.0.1", self.ports.https, context=context, timeout=60
        )
        try:
            connection.putrequest(method, path, skip_host=True)
            connection.putheader("Host", HOST)
            for name, value in headers.items():
                connection.putheader(name.replace("_", "-"), value)
            connection.endheaders()
            response = connection.getresponse()
            return response.status, response.read()
        finally:
            connection.close()

    def refused_size(self, path: str, size: int) -> int:
        """The status nginx answers to a POST announcing size bytes, none sent."""
        status, _body = self.raw(
            "POST",
            path,
            Content_Type="application/octet-stream",
            Content_Length=str(size),
        )
        return status


def _quoted(text: str) -> str:
    return "'" + text.replace("'", "'\\''") + "'"


@pytest.fixture(scope="module")
def site(tmp_path_factory):
    """The site the walk-through builds, running here until the module ends."""
    deployed = DeployedSite(tmp_path_factory.mktemp("deploy"), nginx_binary())
    try:
        deployed.follow(walkthrough.commands())
        yield deployed
    finally:
        deployed.stop_all()
        deployed.drop_databases()


def ready_lines(output: str) -> dict[str, str]:
    return dict(
        re.findall(
            r"^(database|cache|media storage|private storage|worker): (.*)$",
            output,
            re.M,
        )
    )


@needs_stack
def test_the_walk_through_ends_with_a_site_that_is_ready(site):
    checks = [ready_lines(output) for output in site.transcript if ready_lines(output)]
    everything_ok = dict.fromkeys(
        ["database", "cache", "media storage", "private storage", "worker"], "ok"
    )
    users = get_user_model()._meta.db_table

    assert len(checks) >= 5
    assert all(check == everything_ok for check in checks), checks
    with psycopg.connect(site.settings()["DATABASE_URL"]) as restored:
        [(trainers,)] = restored.execute(
            f"SELECT count(*) FROM {users} WHERE is_superuser"  # noqa: S608
        ).fetchall()
    assert trainers == 1, "the restored database should hold the first trainer"
    assert any(
        "identified 1 issue" in o and "security.W021" in o for o in site.transcript
    )


@needs_stack
def test_reloading_the_web_service_drops_no_request(site):
    assert len(site.statuses_during_reload) >= 2
    assert set(site.statuses_during_reload) == {200}, site.statuses_during_reload


@needs_stack
def test_plain_http_is_sent_to_the_same_page_over_https(site):
    response = requests.get(
        f"http://127.0.0.1:{site.ports.http}/verify/?code=x",
        headers={"Host": HOST},
        allow_redirects=False,
        timeout=30,
    )

    assert response.status_code == 301
    assert response.headers["Location"] == f"https://{HOST}/verify/?code=x"


@needs_stack
def test_pages_answer_over_https_without_a_redirect_loop(site):
    page = site.https("/accounts/login/")
    health = site.https("/healthz")

    assert page.status_code == 200
    assert "max-age=2592000" in page.headers["Strict-Transport-Security"]
    assert health.status_code == 200
    assert health.text == "ok"


@needs_stack
def test_hashed_static_files_are_kept_a_year_and_sent_compressed(site):
    import json

    manifest = json.loads(
        (site.paths.path("/srv/circles/static") / "staticfiles.json").read_text()
    )
    name, hashed = next(
        (name, hashed)
        for name, hashed in manifest["paths"].items()
        if name.endswith(".css")
    )

    hashed_file = site.https(f"/static/{hashed}", headers={"Accept-Encoding": "gzip"})
    plain_file = site.https(f"/static/{name}")

    assert hashed_file.status_code == 200
    assert hashed_file.headers["Cache-Control"] == "public, max-age=31536000, immutable"
    assert hashed_file.headers["Content-Encoding"] == "gzip"
    assert plain_file.status_code == 200
    assert plain_file.headers["Cache-Control"] == "public, max-age=3600"


@needs_stack
def test_uploads_over_the_limit_get_413_before_circles_sees_them(site):
    admin_upload = site.https(
        "/admin/images/multiple/add/",
        method="POST",
        data=b"x" * (PUBLIC_LIMIT + 1024 * 1024),
    )

    assert site.refused_size("/verify/", PUBLIC_LIMIT + 1) == 413
    assert site.refused_size("/admin/images/multiple/add/", ADMIN_LIMIT + 1) == 413
    assert admin_upload.status_code not in (413, 502, 504), admin_upload.status_code


@needs_stack
def test_private_files_and_documents_are_not_served_by_nginx(site):
    secret = b"a learner's certificate"
    private = site.paths.path("/var/lib/circles/private") / "certificates"
    media = site.paths.path("/srv/circles/media")
    for folder in (private, media / "documents", media / "images"):
        folder.mkdir(parents=True, exist_ok=True)
    (private / "certificate-ABCD.pdf").write_bytes(secret)
    (media / "documents" / "handbook.pdf").write_bytes(secret)
    (media / "images" / "circle.png").write_bytes(b"an image")
    probes = [
        "/media/documents/handbook.pdf",
        "/media/../var-lib-circles/private/certificates/certificate-ABCD.pdf",
        "/media/..%2f..%2fvar-lib-circles/private/certificates/certificate-ABCD.pdf",
        "/static/../../var-lib-circles/private/certificates/certificate-ABCD.pdf",
        "/private/certificates/certificate-ABCD.pdf",
        "/var/lib/circles/private/certificates/certificate-ABCD.pdf",
    ]

    image = site.https("/media/images/circle.png")

    assert image.status_code == 200
    assert image.headers["Cache-Control"] == "public, max-age=86400"
    for probe in probes:
        status, body = site.raw("GET", probe)
        assert secret not in body, probe
        assert status in (400, 404), (probe, status)


@needs_stack
def test_a_client_cannot_choose_its_own_address(site):
    """Each check claims another X-Real-IP; nginx replaces it, so the limit holds."""
    statuses = [
        site.https(
            "/verify/ABCD-EFGH-JKMN/", headers={"X-Real-IP": f"192.0.2.{n}"}
        ).status_code
        for n in range(6)
    ]

    assert 429 in statuses, statuses


@needs_stack
def test_the_access_log_holds_no_addresses_or_query_strings(site):
    site.https("/healthz?learner=sam.rivera@example.org")
    time.sleep(0.5)

    log = site.access_log.read_text()

    assert '"GET /healthz HTTP/1.1" 200' in log
    assert "sam.rivera" not in log
    assert "?" not in log
    assert "127.0.0.1" not in log


@needs_stack
def test_the_worker_takes_queued_work(site):
    output = site.shell(
        [
            "circles-manage shell -c 'from certificates.tasks import "
            'render_certificate_pdf_task as t; print("queued", t.enqueue(0).id)\''
        ]
    )
    [task_id] = re.findall(r"^queued ([0-9a-f-]{36})$", output, re.M)
    table = DBTaskResult._meta.db_table
    deadline = time.monotonic() + 60
    with psycopg.connect(site.settings()["DATABASE_URL"], autocommit=True) as db:
        while True:
            [(status, worker_ids)] = db.execute(
                f"SELECT status, worker_ids FROM {table} WHERE id = %s",  # noqa: S608
                [task_id],
            ).fetchall()
            if status in ("SUCCESSFUL", "FAILED") or time.monotonic() > deadline:
                break
            time.sleep(0.5)

    assert status == "SUCCESSFUL"
    assert len(worker_ids) == 1
