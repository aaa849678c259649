"""Starting the portal's own processes for drills, benchmarks and live tests: a free port and
gunicorn's command line with the portal's configuration, so every caller serves the portal the
way production does."""

import socket
import sys


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def gunicorn_command(*, workers: int = 1, threads: int = 1, port: int | None = None) -> list[str]:
    """gunicorn with `ankommen.operations.gunicorn_conf` (the log redaction and timeouts that
    production uses); without a port the caller adds its own `--bind`."""
    command = [
        sys.executable, "-m", "gunicorn", "ankommen.wsgi",
        "--config", "python:ankommen.operations.gunicorn_conf",
        "--workers", str(workers), "--threads", str(threads),
    ]  # fmt: skip
    if port is not None:
        command.append(f"--bind=127.0.0.1:{port}")
    return command
