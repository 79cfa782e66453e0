"""A throwaway local Label Studio and a small client for its REST API (plain HTTP, no SDK).

`make annotate-check` runs the annotation loop against the real server. The server lives in its
own virtualenv (`.venv-annotate`, made by the make target from the `annotate` extra's pins):
installing `label-studio` into the project's `.venv` would downgrade numpy and pin a pile of
Django-era packages next to torch. Our side talks plain HTTP with the standard library, so the
check needs nothing from that virtualenv but the `label-studio` executable.

    with LabelStudioServer(ServerOptions(binary=..., data_dir=...)) as server:
        client = server.client()
        project = client.create_project("batch 1", config_xml)
"""

from __future__ import annotations

import json
import logging
import os
import secrets
import signal
import socket
import subprocess
import time
import urllib.error
import urllib.parse
import urllib.request
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

logger = logging.getLogger(__name__)

#: Environment that keeps Label Studio off the network: no analytics, no version check against
#: PyPI, no Sentry (its open-source settings ship a DSN), no converter downloads.
OFFLINE_ENV = {
    "COLLECT_ANALYTICS": "false",
    "LATEST_VERSION_CHECK": "false",
    "SENTRY_DSN": "",
    "FRONTEND_SENTRY_DSN": "",
    "CONVERTER_DOWNLOAD_RESOURCES": "false",
    "FEATURE_FLAGS_OFFLINE": "true",
    "DISABLE_SIGNUP_WITHOUT_LINK": "true",
    "DJANGO_DB": "sqlite",
}


class LabelStudioError(RuntimeError):
    """The server did not start, or answered a request with an error."""


def free_port(host: str = "127.0.0.1") -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind((host, 0))
        return int(sock.getsockname()[1])


@dataclass(frozen=True, slots=True)
class ServerOptions:
    binary: Path  # the `label-studio` executable
    data_dir: Path  # SQLite database, media, logs: thrown away after the check
    host: str = "127.0.0.1"
    port: int = 0  # 0 = a free port
    username: str = "annotator@example.com"
    password: str = field(default_factory=lambda: secrets.token_urlsafe(12))
    token: str = field(default_factory=lambda: secrets.token_hex(20))
    start_timeout_s: float = 180.0


class LabelStudioClient:
    """Just the API calls the annotation loop needs, with the legacy token."""

    def __init__(self, url: str, token: str, timeout_s: float = 120.0) -> None:
        self.url = url.rstrip("/")
        self.token = token
        self.timeout_s = timeout_s

    def request(self, method: str, path: str, body: Any = None,
                params: dict[str, Any] | None = None,
                content_type: str = "application/json") -> bytes:
        """One call; `body` is sent as JSON, or as it is when it is bytes."""
        query = f"?{urllib.parse.urlencode(params)}" if params else ""
        data = body if isinstance(body, bytes) or body is None else json.dumps(body).encode()
        request = urllib.request.Request(
            self.url + path + query, data=data, method=method,
            headers={"Authorization": f"Token {self.token}", "Content-Type": content_type,
                     "Accept": "application/json"})
        try:
            with urllib.request.urlopen(request, timeout=self.timeout_s) as response:
                return bytes(response.read())
        except urllib.error.HTTPError as exc:
            detail = exc.read()[:600].decode("utf-8", "replace")
            raise LabelStudioError(f"{method} {path} -> HTTP {exc.code}: {detail}") from None

    def json(self, method: str, path: str, body: Any = None,
             params: dict[str, Any] | None = None) -> Any:
        raw = self.request(method, path, body, params)
        return json.loads(raw) if raw else None

    def version(self) -> str:
        return str(self.json("GET", "/api/version").get("release", "unknown"))

    def create_project(self, title: str, label_config: str) -> dict[str, Any]:
        return dict(self.json("POST", "/api/projects",
                              {"title": title, "label_config": label_config}))

    def project(self, project_id: int) -> dict[str, Any]:
        return dict(self.json("GET", f"/api/projects/{project_id}"))

    def upload_tasks(self, project_id: int, path: Path) -> dict[str, Any]:
        """Import a task file the way the Import dialog does (a multipart file upload)."""
        boundary = secrets.token_hex(16)
        body = b"".join([
            f"--{boundary}\r\nContent-Disposition: form-data; name=\"file\"; "
            f"filename=\"{path.name}\"\r\nContent-Type: application/json\r\n\r\n".encode(),
            path.read_bytes(), f"\r\n--{boundary}--\r\n".encode()])
        raw = self.request("POST", f"/api/projects/{project_id}/import", body,
                           content_type=f"multipart/form-data; boundary={boundary}")
        return dict(json.loads(raw))

    def tasks(self, project_id: int) -> list[dict[str, Any]]:
        """Every task of the project with its predictions and annotations, page by page."""
        found: list[dict[str, Any]] = []
        page = 1
        while True:
            data = self.json("GET", "/api/tasks", params={
                "project": project_id, "page": page, "page_size": 100, "fields": "all"})
            batch = data.get("tasks", []) if isinstance(data, dict) else data
            found.extend(batch)
            total = data.get("total", len(found)) if isinstance(data, dict) else len(found)
            if not batch or len(found) >= total:
                return found
            page += 1

    def submit(self, task_id: int, annotation: dict[str, Any]) -> dict[str, Any]:
        return dict(self.json("POST", f"/api/tasks/{task_id}/annotations", annotation))

    def export(self, project_id: int, export_type: str) -> bytes:
        """A synchronous export: JSON, JSON_MIN or CSV (annotated tasks only)."""
        return self.request("GET", f"/api/projects/{project_id}/export",
                            params={"exportType": export_type})


class LabelStudioServer:
    """`label-studio start` on a free local port with a fresh data dir; stopped on exit."""

    def __init__(self, options: ServerOptions) -> None:
        self.options = options
        self.port = options.port or free_port(options.host)
        self.process: subprocess.Popen[bytes] | None = None
        self.log_path = options.data_dir / "server.log"

    @property
    def url(self) -> str:
        return f"http://{self.options.host}:{self.port}"

    def client(self) -> LabelStudioClient:
        return LabelStudioClient(self.url, self.options.token)

    def __enter__(self) -> LabelStudioServer:
        self.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self.stop()

    def command(self) -> list[str]:
        o = self.options
        return [os.path.abspath(o.binary), "start", "--no-browser",
                "--data-dir", str(o.data_dir / "data"), "--internal-host", o.host,
                "--port", str(self.port), "--username", o.username, "--password", o.password,
                "--user-token", o.token, "--enable-legacy-api-token", "--log-level", "WARNING"]

    def environment(self) -> dict[str, str]:
        env = {k: v for k, v in os.environ.items() if not k.startswith("LABEL_STUDIO_")}
        env.update(OFFLINE_ENV)
        env.update(LABEL_STUDIO_BASE_DATA_DIR=str(self.options.data_dir / "data"),
                   SECRET_KEY=secrets.token_urlsafe(32), PYTHONUNBUFFERED="1")
        return env

    def start(self) -> None:
        self.options.data_dir.mkdir(parents=True, exist_ok=True)
        logger.info("starting Label Studio on %s (log: %s)", self.url, self.log_path)
        with open(self.log_path, "wb") as log:
            self.process = subprocess.Popen(
                self.command(), cwd=self.options.data_dir, env=self.environment(),
                stdout=log, stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL,
                start_new_session=True)
        try:
            self._wait_until_up()
        except BaseException:
            self.stop()
            raise

    def _wait_until_up(self) -> None:
        deadline = time.monotonic() + self.options.start_timeout_s
        client = LabelStudioClient(self.url, self.options.token, timeout_s=5.0)
        while time.monotonic() < deadline:
            if self.process is not None and self.process.poll() is not None:
                raise LabelStudioError(f"Label Studio exited with {self.process.returncode}; "
                                       f"see {self.log_path}: {self.log_tail()}")
            try:
                client.json("GET", "/api/current-user/whoami")
                return
            except (OSError, LabelStudioError):
                time.sleep(1.0)
        raise LabelStudioError(f"Label Studio did not answer on {self.url} within "
                               f"{self.options.start_timeout_s:.0f} s; see {self.log_path}")

    def log_tail(self, chars: int = 1500) -> str:
        try:
            return self.log_path.read_text(encoding="utf-8", errors="replace")[-chars:]
        except OSError:
            return ""

    def stop(self) -> None:
        """Stop the server and everything it started (its own process group)."""
        process, self.process = self.process, None
        if process is None or process.poll() is not None:
            return
        try:
            os.killpg(process.pid, signal.SIGTERM)
            process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            os.killpg(process.pid, signal.SIGKILL)
            process.wait(timeout=10)
        except ProcessLookupError:
            pass
