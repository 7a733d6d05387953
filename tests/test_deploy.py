"""The deployment as shipped (deploy/): nginx in front of an app server, over TLS with the headers a browser needs.

Starts Debian's nginx with deploy/nginx.conf.template, a throw-away self-signed certificate and
one app server on a copy of the shipped store, all on 127.0.0.1.
"""

from __future__ import annotations

import http.client
import shutil
import ssl
import subprocess
import sys
from pathlib import Path

import pytest

from .conftest import ROOT, TODAY
from .test_e2e import _free_port

sys.path.insert(0, str(ROOT / "deploy"))
import replicas

pytestmark = pytest.mark.skipif(
    not (shutil.which("nginx") or Path("/usr/sbin/nginx").exists()) or not shutil.which("openssl"),
    reason="Debian's nginx and openssl are needed",
)


@pytest.fixture(scope="module")
def deployed(shipped_db, tmp_path_factory):
    folder = tmp_path_factory.mktemp("deploy")
    store = folder / "twinmap.duckdb"
    shutil.copy(shipped_db, store)
    cert, key = folder / "cert.pem", folder / "key.pem"
    subprocess.run(["openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "1", "-subj", "/CN=127.0.0.1",
                    "-addext", "subjectAltName=IP:127.0.0.1", "-keyout", str(key), "-out", str(cert)], check=True, capture_output=True)  # fmt: skip
    tls = replicas.Tls(_free_port(), cert, key)
    env = {"TWINMAP_TODAY": TODAY.isoformat(), "TWINMAP_TILES": "none"}
    lb = replicas.Cluster(str(store), 1, _free_port(), _free_port(), env=env, tls=tls)
    try:
        lb.wait()
        yield lb
    finally:
        lb.stop()


def _https(lb, method: str = "GET", path: str = "/", headers: dict | None = None, body: bytes | None = None):
    context = ssl.create_default_context(cafile=str(lb.tls.cert))  # the test's own certificate, checked
    conn = http.client.HTTPSConnection("127.0.0.1", lb.tls.port, context=context, timeout=30)
    conn.request(method, path, body=body, headers=headers or {})
    answer = conn.getresponse()
    answer.body = answer.read()
    conn.close()
    return answer


def test_plain_http_is_sent_to_https(deployed):
    conn = http.client.HTTPConnection("127.0.0.1", int(deployed.plain_url.rsplit(":", 1)[1]), timeout=30)
    conn.request("GET", "/map?lang=fa")
    answer = conn.getresponse()
    assert answer.status == 308 and answer.getheader("Location").startswith(f"https://127.0.0.1:{deployed.tls.port}")
    assert answer.getheader("Location").endswith("/map?lang=fa")


def test_https_answers_with_hsts_the_apps_headers_and_a_secure_cookie(deployed):
    answer = _https(deployed)
    assert answer.status == 200
    assert answer.getheader("Strict-Transport-Security").startswith("max-age=31536000")
    assert "frame-ancestors 'self'" in answer.getheader("Content-Security-Policy")
    assert answer.getheader("X-Frame-Options") == "SAMEORIGIN"
    cookies = [v for k, v in answer.getheaders() if k.lower() == "set-cookie"]
    assert cookies and all("Secure" in c and "HttpOnly" in c for c in cookies if c.startswith("twinmap_replica"))
    assert answer.getheader("Server") == "nginx"  # no version told


def test_a_visitor_cannot_upload_and_cannot_flood_the_upload_route(deployed):
    statuses = [
        _https(deployed, "PUT", f"/_stcore/upload_file/some-session/file-{i}",
               {"Content-Type": "multipart/form-data; boundary=x"}, b"--x--\r\n").status
        for i in range(14)
    ]  # fmt: skip
    assert statuses[0] == 403  # refused by the app: not a staff session
    assert 429 in statuses  # and nginx stops a client that keeps trying


def test_a_request_body_outside_uploads_is_at_most_a_megabyte(deployed):
    answer = _https(deployed, "POST", "/_stcore/health", {"Content-Type": "application/octet-stream"}, b"x" * 2_000_000)
    assert answer.status == 413
