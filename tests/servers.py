"""Real server processes for tests and benchmarks: gunicorn, nginx, db_worker.

Each is a context manager that starts one process in a process group of its
own, on a free loopback port, waits until it accepts connections, and yields
a `Server` (its port and log file). On the way out it stops the whole group,
children included, whether the block succeeded or failed. A process that dies
while starting raises `ServerFailed` with the end of its log, so a test says
why instead of timing out.
"""

import ipaddress
import os
import shutil
import signal
import socket
import subprocess
import sys
import time
from collections.abc import Iterator, Mapping, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path

REPO_ROOT = Path(__file__).resolve().parent.parent
LOOPBACK = "127.0.0.1"
# Seconds a stopped process group gets to finish before it is killed.
STOP_GRACE = 10


class ServerFailed(RuntimeError):
    """A server did not start; the message ends with the tail of its log."""


@dataclass(frozen=True)
class Server:
    """A running process: what it is, where it listens and where it logs."""

    name: str
    process: subprocess.Popen
    log: Path
    port: int | None = None

    @property
    def pid(self) -> int:
        return self.process.pid

    def log_tail(self, lines: int = 40) -> str:
        """The last lines of the log, for a failure message."""
        try:
            text = self.log.read_text(errors="replace")
        except OSError:
            return "(no log)"
        return "\n".join(text.splitlines()[-lines:])

    def check_alive(self) -> None:
        """Raise ServerFailed if the process has exited."""
        if self.process.poll() is not None:
            raise ServerFailed(
                f"{self.name} exited with {self.process.returncode}:\n{self.log_tail()}"
            )


@dataclass(frozen=True)
class TLS:
    """A certificate and key for serving HTTPS on 127.0.0.1."""

    certificate: Path
    key: Path


def free_port() -> int:
    """A TCP port on the loopback interface that nothing listens on just now."""
    with socket.socket() as probe:
        probe.bind((LOOPBACK, 0))
        return probe.getsockname()[1]


@contextmanager
def running(
    name: str,
    command: Sequence[str],
    *,
    log: Path,
    env: Mapping[str, str] | None = None,
    port: int | None = None,
    wait: bool = True,
) -> Iterator[Server]:
    """Run command until the block ends; with a port, wait until it is open.

    With wait=False the block starts at once, so that several servers load
    side by side; call `wait_until_ready` on them before use.
    """
    log.parent.mkdir(parents=True, exist_ok=True)
    with log.open("ab") as output:
        process = subprocess.Popen(  # noqa: S603 - our own command lines
            list(command),
            cwd=REPO_ROOT,
            env=dict(env) if env is not None else None,
            stdin=subprocess.DEVNULL,
            stdout=output,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
    server = Server(name=name, process=process, log=log, port=port)
    try:
        if wait:
            wait_until_ready(server)
        yield server
    finally:
        stop(server)


def stop(server: Server) -> None:
    """Stop the server's whole process group: TERM, then KILL after the grace."""
    if server.process.poll() is None:
        _signal_group(server.process, signal.SIGTERM)
        try:
            server.process.wait(timeout=STOP_GRACE)
        except subprocess.TimeoutExpired:
            _signal_group(server.process, signal.SIGKILL)
            server.process.wait(timeout=STOP_GRACE)
    # Children (gunicorn's or nginx's workers) may outlive the leader briefly.
    _signal_group(server.process, signal.SIGKILL)


def _signal_group(process: subprocess.Popen, signum: int) -> None:
    try:
        os.killpg(process.pid, signum)
    except (ProcessLookupError, PermissionError):
        pass


def wait_until_ready(*servers: Server, timeout: float = 90) -> None:
    """Wait until each server's port accepts connections; raise ServerFailed."""
    deadline = time.monotonic() + timeout
    for server in servers:
        if server.port is None:
            # No port to watch: give it a moment to fail on bad arguments.
            time.sleep(0.5)
            server.check_alive()
            continue
        while not _accepts(server.port):
            server.check_alive()
            if time.monotonic() > deadline:
                raise ServerFailed(
                    f"{server.name} did not open port {server.port} in "
                    f"{timeout:.0f} s:\n{server.log_tail()}"
                )
            time.sleep(0.1)


def _accepts(port: int) -> bool:
    try:
        with socket.create_connection((LOOPBACK, port), timeout=0.5):
            return True
    except OSError:
        return False


# --- gunicorn -----------------------------------------------------------------


@contextmanager
def gunicorn(
    *,
    env: Mapping[str, str],
    folder: Path,
    workers: int = 2,
    name: str = "gunicorn",
    tls: TLS | None = None,
    port: int | None = None,
    wait: bool = True,
    app: str = "circles.wsgi",
) -> Iterator[Server]:
    """Serve app (the site by default) with gunicorn's sync workers on 127.0.0.1.

    env is the whole environment of the server (DJANGO_SETTINGS_MODULE and
    what those settings read). With tls, gunicorn itself speaks HTTPS.
    """
    port = port or free_port()
    command = [
        sys.executable,
        "-m",
        "gunicorn",
        app,
        "--workers",
        str(workers),
        "--bind",
        f"{LOOPBACK}:{port}",
        "--graceful-timeout",
        "5",
        # Workers fork from a loaded app, so an open port means ready to serve.
        "--preload",
        # gunicorn 27's control socket has one default path for every instance.
        "--no-control-socket",
        "--error-logfile",
        "-",
    ]
    if tls is not None:
        command += ["--certfile", str(tls.certificate), "--keyfile", str(tls.key)]
    log = folder / f"{name}.log"
    with running(name, command, log=log, env=env, port=port, wait=wait) as server:
        yield server


# --- the task worker ------------------------------------------------------------


@contextmanager
def db_worker(
    *,
    env: Mapping[str, str],
    folder: Path,
    worker_id: str,
    name: str = "db_worker",
    interval: float = 0.2,
) -> Iterator[Server]:
    """Run `manage.py db_worker` (django-tasks-db) under the given worker id.

    The id is written into every task result it claims, so a test can tell
    which process did a piece of work.
    """
    command = [
        sys.executable,
        "manage.py",
        "db_worker",
        "--worker-id",
        worker_id,
        "--interval",
        str(interval),
        "--no-startup-delay",
        "--no-reload",
    ]
    with running(name, command, log=folder / f"{name}.log", env=env) as server:
        yield server


# --- nginx ----------------------------------------------------------------------


def nginx_binary() -> str | None:
    """Debian's nginx, if installed (scripts/stack.sh installs it)."""
    return shutil.which("nginx") or shutil.which("nginx", path="/usr/sbin:/sbin")


NGINX_CONF = """\
# Written by tests/servers.py for one run; everything lives in this folder.
{user}worker_processes 1;
daemon off;
pid {folder}/nginx.pid;
error_log {folder}/nginx.log warn;

events {{
    worker_connections 512;
}}

http {{
    # $uri, not $request_uri: no query strings in the log.
    log_format plain '$remote_addr "$request_method $uri" $status '
                     '$request_time $upstream_addr';
    access_log {folder}/nginx-access.log plain;
    client_body_temp_path {folder}/nginx-temp/body;
    proxy_temp_path {folder}/nginx-temp/proxy;
    fastcgi_temp_path {folder}/nginx-temp/fastcgi;
    uwsgi_temp_path {folder}/nginx-temp/uwsgi;
    scgi_temp_path {folder}/nginx-temp/scgi;

    # Round robin, nginx's default. A POST is never retried on another server.
    upstream circles {{
{servers}
    }}

    server {{
        listen {listen};
{tls}
        # The client's address arrives in X-Real-IP from the one trusted hop
        # (the test's learners, each with an address of its own).
        set_real_ip_from 127.0.0.1;
        real_ip_header X-Real-IP;

        location / {{
            proxy_pass http://circles;
            proxy_set_header Host $http_host;
            proxy_set_header X-Real-IP $remote_addr;
            proxy_set_header X-Forwarded-Proto $scheme;
            proxy_redirect off;
        }}
    }}
}}
"""


def nginx_config(
    *, folder: Path, port: int, upstream_ports: Sequence[int], tls: TLS | None
) -> str:
    """An nginx.conf balancing round robin over gunicorns on upstream_ports."""
    servers = "\n".join(f"        server {LOOPBACK}:{p};" for p in upstream_ports)
    listen = f"{LOOPBACK}:{port}" + (" ssl" if tls else "")
    tls_lines = (
        f"        ssl_certificate {tls.certificate};\n"
        f"        ssl_certificate_key {tls.key};\n"
        if tls
        else ""
    )
    # Run as root, nginx would hand its workers to `nobody`, who cannot enter
    # a test's private folder; they stay with the user who started the test.
    user = "user root;\n" if os.geteuid() == 0 else ""
    return NGINX_CONF.format(
        user=user,
        folder=folder,
        servers=servers,
        listen=listen,
        tls=tls_lines,
    )


@contextmanager
def nginx(
    *,
    folder: Path,
    upstream_ports: Sequence[int],
    tls: TLS | None = None,
    port: int | None = None,
) -> Iterator[Server]:
    """Run Debian's nginx as a round-robin load balancer in front of gunicorns."""
    binary = nginx_binary()
    if binary is None:
        raise ServerFailed("nginx is not installed (apt-get install nginx).")
    port = port or free_port()
    folder = folder / "nginx"
    (folder / "nginx-temp").mkdir(parents=True, exist_ok=True)
    conf = folder / "nginx.conf"
    conf.write_text(
        nginx_config(folder=folder, port=port, upstream_ports=upstream_ports, tls=tls)
    )
    command = [binary, "-p", str(folder), "-e", str(folder / "nginx.log")]
    command += ["-c", str(conf)]
    with running("nginx", command, log=folder / "nginx.log", port=port) as server:
        yield server


# --- HTTPS on loopback -------------------------------------------------------------


def signing_key_file(folder: Path) -> Path:
    """A fresh Ed25519 certificate-signing key in `folder`, for a server's run."""
    from certificates.signing import generate_private_key, private_key_to_pem

    path = folder / "signing-key.pem"
    path.write_bytes(private_key_to_pem(generate_private_key()))
    path.chmod(0o600)
    return path


def self_signed_tls(folder: Path) -> TLS:
    """A new certificate for 127.0.0.1, signed by its own key; trust it by path."""
    from cryptography import x509
    from cryptography.hazmat.primitives import hashes, serialization
    from cryptography.hazmat.primitives.asymmetric import ec
    from cryptography.x509.oid import NameOID

    key = ec.generate_private_key(ec.SECP256R1())
    name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, LOOPBACK)])
    now = datetime.now(UTC)
    certificate = (
        x509.CertificateBuilder()
        .subject_name(name)
        .issuer_name(name)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - timedelta(minutes=5))
        .not_valid_after(now + timedelta(days=1))
        .add_extension(
            x509.SubjectAlternativeName(
                [x509.IPAddress(ipaddress.ip_address(LOOPBACK))]
            ),
            critical=False,
        )
        .add_extension(x509.BasicConstraints(ca=True, path_length=None), critical=True)
        .sign(key, hashes.SHA256())
    )
    folder.mkdir(parents=True, exist_ok=True)
    tls = TLS(certificate=folder / "tls-cert.pem", key=folder / "tls-key.pem")
    tls.certificate.write_bytes(certificate.public_bytes(serialization.Encoding.PEM))
    tls.key.write_bytes(
        key.private_bytes(
            serialization.Encoding.PEM,
            serialization.PrivateFormat.PKCS8,
            serialization.NoEncryption(),
        )
    )
    tls.key.chmod(0o600)
    return tls
