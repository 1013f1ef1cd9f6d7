"""`treatywatch serve` as a real process on a free loopback port."""

from __future__ import annotations

import shutil
import socket
import subprocess
import sys
import time
from pathlib import Path

import httpx


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def _command() -> list[str]:
    exe = shutil.which("treatywatch")
    return [exe] if exe else [sys.executable, "-c", "from treatywatch.cli import main; main()"]


def test_serve_answers_on_loopback_with_security_headers(tmp_path: Path) -> None:
    port = _free_port()
    process = subprocess.Popen([*_command(), "serve", "--db", str(tmp_path / "kb.db"), "--port", str(port)],
                               stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    try:
        deadline = time.monotonic() + 30
        response = None
        while time.monotonic() < deadline and process.poll() is None:
            try:
                response = httpx.get(f"http://127.0.0.1:{port}/", timeout=2)
                break
            except httpx.TransportError:
                time.sleep(0.1)
        assert response is not None, process.stderr.read().decode() if process.stderr else ""
        assert response.status_code == 200 and "Latest developments" in response.text
        assert "default-src 'self'" in response.headers["content-security-policy"]
        assert "server" not in response.headers
        refused = httpx.get(f"http://127.0.0.1:{port}/", headers={"host": "evil.example"}, timeout=2)
        assert refused.status_code == 400
    finally:
        process.terminate()
        process.wait(timeout=15)
        if process.stderr:
            process.stderr.close()


def test_serve_reports_a_bad_database_in_one_line(tmp_path: Path) -> None:
    bad = tmp_path / "not-a-db.db"
    bad.write_bytes(b"this is not sqlite" * 100)
    result = subprocess.run([*_command(), "serve", "--db", str(bad), "--port", str(_free_port())],
                            capture_output=True, text=True, timeout=60)
    assert result.returncode != 0
    assert "Traceback" not in result.stderr and str(bad) in result.stderr


