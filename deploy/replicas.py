"""Several twinmap app servers on one PostgreSQL, behind Debian's nginx with sticky sessions.

    TWINMAP_DB=postgresql://... python deploy/replicas.py --replicas 2 --port 8080 [--kiosk-port 8081]

Starts N ``python -m twinmap serve`` processes (``streamlit run app.py``, each page opened once
before the port opens) on localhost ports (8501, 8502, ...), each reaching the same PostgreSQL
database, and nginx in front of them (the configuration is written from
``deploy/nginx.conf.template`` into a temporary directory; the same template serves a permanent
install). A browser is kept on one replica by a cookie nginx sets on its first answer, because a
Streamlit session (its websocket, its uploads, who is signed in) lives in one process; when that
replica dies, nginx sends the browser to another and it starts a new session there. With
``--kiosk-port`` one more replica runs the kiosk only (TWINMAP_KIOSK=1) behind its own port.
"""

from __future__ import annotations

import argparse
import os
import secrets
import shutil
import signal
import subprocess
import sys
import tempfile
import time
import urllib.request
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from twinmap.core import config  # noqa: E402 - the one rule for what names a PostgreSQL store

TEMPLATE = Path(__file__).resolve().parent / "nginx.conf.template"


class Cluster:
    """The running replicas and nginx; ``url`` is the load balancer's address."""

    def __init__(self, dsn: str, replicas: int, port: int, first_app_port: int, kiosk_port: int | None = None,
                 env: dict[str, str] | None = None, secrets_file: Path | None = None,
                 tls: Tls | None = None) -> None:  # fmt: skip
        self.dir = Path(tempfile.mkdtemp(prefix="twinmap-lb-"))
        self.url = f"https://127.0.0.1:{tls.port}" if tls else f"http://127.0.0.1:{port}"
        self.plain_url, self.tls = f"http://127.0.0.1:{port}", tls
        self.app_ports = [first_app_port + i for i in range(replicas)]
        secret = secrets.token_hex(16)  # one cookie secret, so any replica accepts a moved browser
        self.secrets_file = secrets_file  # one secrets.toml (single sign-on: one [auth] cookie_secret) for all
        base = {**os.environ, **(env or {}), "TWINMAP_DB": dsn}
        self.apps = [self._app(p, secret, base) for p in self.app_ports]
        self.kiosk, self.kiosk_url = None, f"http://127.0.0.1:{kiosk_port}" if kiosk_port else None
        if kiosk_port:
            self.kiosk_app_port = first_app_port + replicas
            self.kiosk = self._app(self.kiosk_app_port, secret, {**base, "TWINMAP_KIOSK": "1"})
        self.nginx = self._nginx(port, kiosk_port)

    def _app(self, port: int, secret: str, env: dict[str, str]) -> subprocess.Popen:
        cmd = [sys.executable, "-m", "twinmap", "serve", "--server.port", str(port),
               "--server.address", "127.0.0.1", "--server.headless", "true",
               "--browser.gatherUsageStats", "false"]  # fmt: skip
        if self.secrets_file:
            cmd += ["--secrets.files", str(self.secrets_file)]
        env = {**env, "STREAMLIT_SERVER_COOKIE_SECRET": secret}
        log = (self.dir / f"app-{port}.log").open("wb")
        return subprocess.Popen(cmd, cwd=ROOT, env=env, stdout=log, stderr=subprocess.STDOUT)  # noqa: S603

    def _nginx(self, port: int, kiosk_port: int | None) -> subprocess.Popen:
        conf = self.dir / "nginx.conf"
        conf.write_text(render(self.dir, port, self.app_ports, kiosk_port, getattr(self, "kiosk_app_port", None),
                               self.tls))  # fmt: skip
        for sub in ("body", "proxy"):
            (self.dir / sub).mkdir()
            (self.dir / sub).chmod(0o777)
        self.dir.chmod(0o755)
        nginx = shutil.which("nginx") or "/usr/sbin/nginx"
        return subprocess.Popen([nginx, "-c", str(conf), "-p", str(self.dir), "-g", "daemon off;"],  # noqa: S603
                                stderr=(self.dir / "nginx.err").open("wb"))  # fmt: skip

    def wait(self, timeout: float = 180) -> None:
        """Wait until every replica answers its health check and nginx answers in front of them.

        A replica opens its port once every page is prepared: 20 s on a quiet machine, over 90 s on
        two cores busy with other tests.
        """
        urls = [f"http://127.0.0.1:{p}/_stcore/health" for p in self.app_ports]
        urls += [f"{self.plain_url}/_stcore/health"] if self.tls is None else []
        urls += [f"{self.kiosk_url}/_stcore/health"] if self.kiosk_url else []
        deadline = time.time() + timeout
        for url in urls:
            while True:
                try:
                    urllib.request.urlopen(url, timeout=2)  # noqa: S310 - localhost
                    break
                except OSError:
                    if time.time() > deadline:
                        raise TimeoutError(f"{url} did not answer; logs in {self.dir}") from None
                    time.sleep(0.3)

    def kill(self, i: int) -> None:
        """Kill replica ``i`` at once (SIGKILL: no shutdown, as in a crash)."""
        self.apps[i].send_signal(signal.SIGKILL)
        self.apps[i].wait()

    def stop(self) -> None:
        """Stop every process (politely, then not) and delete the logs and nginx's files."""
        for proc in [*self.apps, self.kiosk, self.nginx]:
            if proc and proc.poll() is None:
                proc.terminate()
                try:
                    proc.wait(timeout=10)
                except subprocess.TimeoutExpired:
                    proc.kill()
        shutil.rmtree(self.dir, ignore_errors=True)


def render(directory: Path, port: int, app_ports: list[int], kiosk_port: int | None, kiosk_app_port: int | None,
           tls: Tls | None = None) -> str:  # fmt: skip
    """nginx.conf for these ports, from the template (``user`` only when started as root).

    With ``tls`` the app is served over HTTPS on its port (HSTS, Secure cookies) and ``port``
    only redirects there; without, ``port`` serves it over plain HTTP (a test, or TLS ended
    in front of nginx).
    """
    servers = "\n".join(f"        server 127.0.0.1:{p} max_fails=1 fail_timeout=5s;" for p in app_ports)
    kiosk = ""
    if kiosk_port and kiosk_app_port:
        kiosk = (
            f"    server {{\n        listen 127.0.0.1:{kiosk_port};\n"
            f"        location / {{ proxy_pass http://127.0.0.1:{kiosk_app_port}; include {directory}/proxy.conf; }}\n"
            "    }"
        )
    (directory / "proxy.conf").write_text(PROXY)
    plain = _server(f"listen 127.0.0.1:{port};", directory, secure=False)
    secured = ""
    if tls is not None:
        plain = (f"    server {{\n        listen 127.0.0.1:{port};\n"
                 f"        return 308 https://$host:{tls.port}$request_uri;\n    }}")  # fmt: skip
        listen = (f"listen 127.0.0.1:{tls.port} ssl;\n        ssl_certificate {tls.cert};\n"
                  f"        ssl_certificate_key {tls.key};\n        ssl_protocols TLSv1.2 TLSv1.3;")  # fmt: skip
        secured = _server(listen, directory, secure=True)
    text = TEMPLATE.read_text(encoding="utf-8")
    return (
        text.replace("@USER@", "user nobody nogroup;" if os.geteuid() == 0 else "")
        .replace("@DIR@", str(directory))
        .replace("@TLS_PORT@", str(tls.port) if tls else "(none: plain HTTP)")
        .replace("@SERVERS@", servers)
        .replace("@PLAIN@", plain)
        .replace("@TLS@", secured)
        .replace("@KIOSK@", kiosk)
    )


HSTS = "max-age=31536000; includeSubDomains"  # a year: browsers never try plain HTTP again


@dataclass(frozen=True)
class Tls:
    """Where nginx serves HTTPS, with which certificate and key (files; a permanent install's from its CA)."""

    port: int
    cert: Path
    key: Path


def _server(listen: str, directory: Path, secure: bool) -> str:
    """One server block in front of the replicas: uploads limited per client, the replica cookie (Secure over TLS)."""
    flags = "; Secure" if secure else ""
    # add_header in a location replaces the server's: HSTS goes beside the cookie, in every location
    hsts = f'\n            add_header Strict-Transport-Security "{HSTS}" always;' if secure else ""
    cookies = "        proxy_cookie_flags ~ secure samesite=lax;\n" if secure else ""
    cookie = f'add_header Set-Cookie "twinmap_replica=$twinmap_replica; Path=/; HttpOnly; SameSite=Lax{flags}" always;'
    common = (f"            proxy_pass http://twinmap;\n            include {directory}/proxy.conf;\n"
              f"            proxy_next_upstream error timeout http_502;\n            {cookie}{hsts}\n")  # fmt: skip
    return (
        f"    server {{\n        {listen}\n{cookies}"
        f"        location /_stcore/upload_file/ {{\n"
        f"            client_max_body_size 300m;   # the import limit (256 MB) and the form around it\n"
        f"            limit_req zone=twinmap_uploads burst=10 nodelay;\n"
        f"            limit_conn twinmap_upload_conns 2;\n{common}        }}\n"
        f"        location / {{\n{common}        }}\n    }}"
    )


# What every proxied location needs for Streamlit: its websocket upgraded, long-lived, unbuffered.
PROXY = """proxy_http_version 1.1;
proxy_set_header Upgrade $http_upgrade;
proxy_set_header Connection $connection_upgrade;
proxy_set_header Host $host;
proxy_read_timeout 1d;
proxy_buffering off;
"""


def main() -> int:
    """Run the replicas and nginx until Ctrl-C or until one of them stops."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--replicas", type=int, default=2)
    parser.add_argument("--port", type=int, default=8080, help="where nginx listens")
    parser.add_argument("--first-app-port", type=int, default=8501)
    parser.add_argument("--kiosk-port", type=int, help="also run a kiosk-only replica, served here")
    parser.add_argument("--secrets", type=Path, help="the secrets.toml every replica reads (single sign-on's "
                                                     "[auth]: redirect_uri is nginx's address)")  # fmt: skip
    parser.add_argument("--tls-port", type=int, help="serve HTTPS here (with --tls-cert and --tls-key); the plain "
                                                     "port then only redirects to it")  # fmt: skip
    parser.add_argument("--tls-cert", type=Path, help="the certificate (chain) file, PEM")
    parser.add_argument("--tls-key", type=Path, help="its private key, PEM")
    args = parser.parse_args()
    tls = Tls(args.tls_port, args.tls_cert.resolve(), args.tls_key.resolve()) if args.tls_port else None
    if tls and not (tls.cert.is_file() and tls.key.is_file()):
        sys.exit("error: --tls-port needs --tls-cert and --tls-key, both existing files")
    dsn = os.environ.get("TWINMAP_DB", "")
    if not config.is_postgres(dsn):
        sys.exit("error: set TWINMAP_DB to a PostgreSQL database: replicas cannot share a DuckDB file")
    cluster = Cluster(dsn, args.replicas, args.port, args.first_app_port, args.kiosk_port, secrets_file=args.secrets,
                      tls=tls)  # fmt: skip
    try:
        cluster.wait()
        print(f"twinmap: {args.replicas} replicas behind {cluster.url}; Ctrl-C stops them")  # noqa: T201
        while all(p.poll() is None for p in [*cluster.apps, cluster.nginx]):
            time.sleep(1)
    except KeyboardInterrupt:
        pass
    finally:
        cluster.stop()
    return 0


if __name__ == "__main__":
    sys.exit(main())
