"""Run Twilio's official OpenAPI description under the Prism mock (tests and benchmarks).

The spec lives in ``../shared/twilio-oai/`` beside the repository; Prism is installed with npm
into the git-ignored ``.prism/``. A copy of the spec gains 400/429/500 answers for
CreateMessage and CreateCall, chosen per request with ``Prefer: code=...``.
"""

from __future__ import annotations

import json
import shutil
import socket
import subprocess
import time
import urllib.error
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
SPEC = ROOT.parent / "shared" / "twilio-oai" / "twilio_api_v2010.json"
PRISM_DIR = ROOT / ".prism"
PRISM_BIN = PRISM_DIR / "node_modules" / ".bin" / "prism"
PRISM_PACKAGE = "@stoplight/prism-cli@5.14.2"
ERRORS = ((429, 20429, "Too Many Requests"), (500, 20500, "Internal Server Error"))
BAD_REQUESTS = {"invalid_to": (21211, "Invalid 'To' Phone Number"),
                "not_mobile": (21614, "'To' number is not a valid mobile number")}


def missing_reason() -> str | None:
    """Return why the mock cannot run here, or ``None`` when it can."""
    if shutil.which("node") is None or shutil.which("npm") is None:
        return "Node.js/npm are not installed: the Twilio contract tests need the Prism mock"
    if not SPEC.exists():
        return f"Twilio's OpenAPI spec is missing at {SPEC}"
    return None


def ensure_installed() -> Path:
    """Install Prism into ``.prism/`` unless it is there; return its executable."""
    if not PRISM_BIN.exists():
        subprocess.run(["npm", "install", "--prefix", str(PRISM_DIR), "--no-save", "--no-audit",
                        "--no-fund", PRISM_PACKAGE], check=True, capture_output=True,
                       timeout=300)
    return PRISM_BIN


def _error(status: int, code: int, message: str) -> dict:
    return {"description": message, "content": {"application/json": {
        "schema": {"type": "object"},
        "example": {"code": code, "message": message, "status": status}}}}


def write_error_spec(target: Path) -> Path:
    """Write a copy of the spec whose Messages and Calls creates can answer with errors."""
    spec = json.loads(SPEC.read_text(encoding="utf-8"))
    for resource in ("Messages", "Calls"):
        path = spec["paths"][f"/2010-04-01/Accounts/{{AccountSid}}/{resource}.json"]
        responses = path["post"]["responses"]
        for status, code, message in ERRORS:
            responses[str(status)] = _error(status, code, message)
        bad = _error(400, *BAD_REQUESTS["invalid_to"])
        bad["content"]["application/json"]["examples"] = {
            name: {"value": {"code": code, "message": text, "status": 400}}
            for name, (code, text) in BAD_REQUESTS.items()}
        del bad["content"]["application/json"]["example"]
        responses["400"] = bad
    target.write_text(json.dumps(spec), encoding="utf-8")
    return target


def free_port() -> int:
    """Return a TCP port on 127.0.0.1 that is free now."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def start(spec: Path, port: int, log: Path, dynamic: bool = False) -> subprocess.Popen:
    """Start Prism on ``127.0.0.1:port`` and wait until it answers.

    :param dynamic: answer with random schema-shaped data (distinct sids) instead of the
        spec's fixed examples.

    :raise RuntimeError: when it does not answer within 60 seconds.
    """
    handle = log.open("w")
    command = [str(ensure_installed()), "mock", "-h", "127.0.0.1", "-p", str(port), str(spec)]
    process = subprocess.Popen(command + (["-d"] if dynamic else []), stdout=handle,
                               stderr=subprocess.STDOUT)
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"prism exited with {process.returncode}; see {log}")
        try:
            urllib.request.urlopen(f"http://127.0.0.1:{port}/", timeout=1)
        except urllib.error.HTTPError:
            return process  # any HTTP answer means it is ready
        except OSError:
            time.sleep(0.2)
        else:
            return process
    process.kill()
    raise RuntimeError(f"prism did not start within 60 s; see {log}")
