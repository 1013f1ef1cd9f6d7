"""`treatywatch serve` as a real process on a free loopback port."""

from __future__ import annotations

import subprocess
from pathlib import Path

import httpx
from test_web_support import free_port, serve_command, start_server, stop_server


def test_serve_answers_on_loopback_with_security_headers(tmp_path: Path) -> None:
    port = free_port()
    process = start_server(tmp_path / "kb.db", port)
    try:
        response = httpx.get(f"http://127.0.0.1:{port}/", timeout=5)
        assert response.status_code == 200 and "Latest developments" in response.text
        assert "default-src 'self'" in response.headers["content-security-policy"]
        assert "server" not in response.headers
        refused = httpx.get(f"http://127.0.0.1:{port}/", headers={"host": "evil.example"}, timeout=5)
        assert refused.status_code == 400
    finally:
        stop_server(process)


def test_serve_reports_a_bad_database_in_one_line(tmp_path: Path) -> None:
    bad = tmp_path / "not-a-db.db"
    bad.write_bytes(b"this is not sqlite" * 100)
    result = subprocess.run([*serve_command(), "serve", "--db", str(bad), "--port", str(free_port())],
                            capture_output=True, text=True, timeout=60)
    assert result.returncode != 0
    assert "Traceback" not in result.stderr and str(bad) in result.stderr
