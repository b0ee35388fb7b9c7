"""Run one function in a forked child process with a hard time limit.

The child inherits everything the parent prepared (imported WeasyPrint, the warmed font
configuration), runs the function, sends the pickled result back through a pipe and leaves with
``os._exit``: no atexit handlers, no flushing of the parent's buffers, no database traffic. When the
limit passes, the parent kills the child (SIGKILL) and reaps it. A C-level hang or crash inside the
renderer therefore costs one child, never the web worker.
"""
from __future__ import annotations

import gc
import os
import pickle
import select
import signal
import sys
import threading
import time
from typing import Any, Callable


_fork_lock = threading.Lock()


class IsolationTimeout(Exception):
    def __init__(self, seconds: float, pid: int):
        super().__init__(f"stopped after {seconds:g} s")
        self.seconds = seconds
        self.pid = pid


class ChildFailed(Exception):
    """The function raised in the child (message carried over) or the child died."""


def run_in_child(fn: Callable[[], Any], timeout: float) -> Any:
    """``fn()`` in a forked child; its return value must pickle. Raises :class:`IsolationTimeout`
    after *timeout* seconds and :class:`ChildFailed` when the child raised or died."""
    read_fd, write_fd = os.pipe()
    for stream in (sys.stdout, sys.stderr):
        try:
            stream.flush()  # else the child would inherit (and could repeat) unflushed output
        except Exception:  # noqa: BLE001 - a closed or odd stream is not our business
            pass
    with _fork_lock:
        # Objects alive now are frozen out of the child's garbage collector: the child must not
        # finalise anything it inherited (a database connection collected there would say goodbye
        # to the server on the parent's socket). Also spares copy-on-write of the parent's heap.
        pid = -1
        gc.freeze()
        try:
            pid = os.fork()
        except OSError as exc:
            os.close(read_fd)
            os.close(write_fd)
            raise ChildFailed(f"could not start the renderer process: {exc.strerror or exc}") from None
        finally:
            if pid != 0:
                gc.unfreeze()
    if pid == 0:  # pragma: no cover - runs in the child, measured by the tests through its effects
        status = 1
        try:
            os.close(read_fd)
            try:
                signal.signal(signal.SIGINT, signal.SIG_DFL)
                signal.signal(signal.SIGTERM, signal.SIG_DFL)
            except ValueError:
                pass
            try:
                payload = pickle.dumps(("ok", fn()), protocol=pickle.HIGHEST_PROTOCOL)
            except BaseException as exc:  # noqa: BLE001 - everything goes back to the parent
                payload = pickle.dumps(("error", f"{type(exc).__name__}: {exc}"))
            view = memoryview(payload)
            while view:
                view = view[os.write(write_fd, view):]
            status = 0
        finally:
            os._exit(status)

    os.close(write_fd)
    deadline = time.monotonic() + timeout
    chunks: list[bytes] = []
    try:
        while True:
            remaining = deadline - time.monotonic()
            if remaining <= 0:
                raise IsolationTimeout(timeout, pid)
            ready, _, _ = select.select([read_fd], [], [], remaining)
            if not ready:
                continue  # loop re-checks the deadline
            chunk = os.read(read_fd, 1 << 20)
            if not chunk:
                break
            chunks.append(chunk)
    except BaseException:
        _kill(pid)
        raise
    finally:
        os.close(read_fd)
    _, status = os.waitpid(pid, 0)
    data = b"".join(chunks)
    if not data:
        if os.WIFSIGNALED(status):
            raise ChildFailed(f"renderer died with signal {os.WTERMSIG(status)}")
        raise ChildFailed(f"renderer exited with status {os.WEXITSTATUS(status)} and no result")
    try:
        kind, value = pickle.loads(data)
    except Exception as exc:  # a child killed half-way through writing
        raise ChildFailed(f"renderer sent an incomplete result ({type(exc).__name__})") from None
    if kind == "error":
        raise ChildFailed(value)
    return value


def _kill(pid: int) -> None:
    try:
        os.kill(pid, signal.SIGKILL)
    except ProcessLookupError:
        pass
    try:
        os.waitpid(pid, 0)
    except ChildProcessError:
        pass
