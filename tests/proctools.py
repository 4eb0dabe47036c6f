"""Run `vi2en` as a real process, signal it, and find every process it left (Linux `/proc`).

Each run gets a marker in its environment; children inherit it (worker processes,
multiprocessing's resource tracker), so `survivors(marker)` finds them all, even after they
were re-parented to PID 1 when the parent died. Zombies have no environment left: they are gone.
"""

from __future__ import annotations

import contextlib
import os
import signal
import subprocess
import sys
import time
import uuid
from collections.abc import Sequence
from pathlib import Path

MARKER_ENV = "VI2EN_TEST_RUN"
HAS_PROC = Path("/proc/self/environ").is_file()


def start(argv: Sequence[str], *, env: dict[str, str] | None = None, **popen: object) -> tuple[
    subprocess.Popen[bytes], str
]:
    """Start `python -m vi2en ARGV...` in its own session (group signals reach only it).

    Returns the process and its marker."""
    marker = uuid.uuid4().hex
    full_env = {**os.environ, "HF_HUB_OFFLINE": "1", **(env or {}), MARKER_ENV: marker}
    popen.setdefault("stdout", subprocess.DEVNULL)
    popen.setdefault("stderr", subprocess.PIPE)
    proc = subprocess.Popen(  # type: ignore[call-overload]
        [sys.executable, "-m", "vi2en", *argv], env=full_env, start_new_session=True, **popen
    )
    return proc, marker


def survivors(marker: str) -> list[int]:
    """PIDs of live processes whose environment carries `marker`."""
    needle = f"{MARKER_ENV}={marker}".encode()
    found = []
    for entry in os.scandir("/proc"):
        if not entry.name.isdigit():
            continue
        try:
            environ = Path(entry.path, "environ").read_bytes()
        except OSError:  # gone meanwhile, or not ours to read
            continue
        if needle in environ.split(b"\0"):
            found.append(int(entry.name))
    return found


def command_lines(marker: str) -> list[bytes]:
    """The command lines (arguments joined by spaces) of the marked processes."""
    lines = []
    for pid in survivors(marker):
        try:
            lines.append(Path(f"/proc/{pid}/cmdline").read_bytes().replace(b"\0", b" "))
        except OSError:
            continue
    return lines


def wait_gone(marker: str, timeout: float) -> list[int]:
    """Wait up to `timeout` s for every marked process to end; return those still alive."""
    deadline = time.monotonic() + timeout
    while True:
        alive = survivors(marker)
        if not alive or time.monotonic() > deadline:
            return alive
        time.sleep(0.05)


def kill_all(marker: str) -> None:
    """SIGKILL whatever a failed test left behind, so it cannot run on."""
    for pid in survivors(marker):
        with contextlib.suppress(ProcessLookupError):
            os.kill(pid, signal.SIGKILL)


def wait_for(condition: object, timeout: float, step: float = 0.01) -> bool:
    """Poll `condition()` until it is true or `timeout` s pass."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if condition():  # type: ignore[operator]
            return True
        time.sleep(step)
    return False


def temp_files(folder: Path) -> list[Path]:
    """vi2en's temp files (`.NAME.XXXXXXXX.tmp`) anywhere under `folder`."""
    return sorted(folder.rglob(".*.tmp"))
