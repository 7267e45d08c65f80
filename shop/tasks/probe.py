"""Health checks for the containers, cheap enough to run every few seconds: no Django set-up.

    python -m shop.tasks.probe web                  # GET /healthz on this container's gunicorn: 200 or fail
    python -m shop.tasks.probe heartbeat worker 120  # the worker touched its heartbeat file in the last 120 s

The web probe asks for one of DJANGO_ALLOWED_HOSTS as the host and says the request came over HTTPS (as the proxy
in front does), so production's host check and HTTPS redirect answer it like a real request.
"""

import os
import sys
import time
import urllib.request
from pathlib import Path


def heartbeat_path(name: str, directory: str | None = None) -> Path:
    return Path(directory or os.environ.get("OCOP_HEARTBEAT_DIR") or "/tmp") / f"ocop-{name}.alive"


def heartbeat_touch(name: str, directory: str | None = None) -> None:
    path = heartbeat_path(name, directory)
    path.parent.mkdir(parents=True, exist_ok=True)
    path.touch()


def heartbeat_fresh(name: str, max_age: float, directory: str | None = None) -> bool:
    try:
        return time.time() - heartbeat_path(name, directory).stat().st_mtime <= max_age
    except OSError:
        return False


def allowed_host() -> str:
    for host in os.environ.get("DJANGO_ALLOWED_HOSTS", "").split(","):
        host = host.strip().lstrip("*").lstrip(".")
        if host:
            return host
    return "localhost"


def web_healthy(url: str = "http://127.0.0.1:8000/healthz", timeout: float = 5) -> bool:
    request = urllib.request.Request(url, headers={"Host": allowed_host(), "X-Forwarded-Proto": "https"})
    try:
        with urllib.request.urlopen(request, timeout=timeout) as response:  # noqa: S310 (a fixed local URL)
            return response.status == 200
    except Exception:
        return False


def main(argv: list[str]) -> int:
    if argv[:1] == ["web"]:
        return 0 if web_healthy(*(argv[1:2] or [])) else 1
    if argv[:1] == ["heartbeat"] and len(argv) == 3:
        return 0 if heartbeat_fresh(argv[1], float(argv[2])) else 1
    print(__doc__, file=sys.stderr)
    return 2


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
