"""Several server processes on one listening socket (`aftersales serve --processes N`, POSIX).

Python runs one thread at a time per process, so one waitress process uses at most one core however
many threads it has. The parent opens the socket and loads the application once, then forks the
processes; the kernel hands each new connection to one of them. The parent only supervises: it
starts a process again if one dies, and on SIGTERM/SIGINT stops them all. A process whose parent is
gone (killed with SIGKILL) stops by itself, so none is left serving alone.
"""

from __future__ import annotations

import contextlib
import logging
import os
import signal
import threading
import time
from collections.abc import Callable

log = logging.getLogger(__name__)

RESTART_PAUSE = 1.0  # seconds before a process that died is started again (no busy loop)


def supervise(count: int, run_process: Callable[[int], None]) -> int:
    """Fork ``count`` processes, each running ``run_process(index)`` until it returns or the process
    is stopped; restart one that dies; on SIGTERM or SIGINT stop them all and return 0."""
    stopping = threading.Event()
    children: dict[int, int] = {}  # pid → index

    def stop(_signum: int, _frame: object) -> None:
        stopping.set()
        for pid in list(children):
            with contextlib.suppress(ProcessLookupError):  # it has just ended
                os.kill(pid, signal.SIGTERM)

    previous = {sig: signal.signal(sig, stop) for sig in (signal.SIGTERM, signal.SIGINT)}
    try:
        for index in range(count):
            children[_fork(index, run_process, previous)] = index
        while children:
            try:
                pid, status = os.wait()
            except ChildProcessError:
                break
            except InterruptedError:  # pragma: no cover - Python retries wait() itself (PEP 475)
                continue
            index = children.pop(pid, -1)
            if stopping.is_set() or index < 0:
                continue
            log.error("server process %s (pid %s) ended (%s): starting it again", index, pid, status)
            time.sleep(RESTART_PAUSE)
            if not stopping.is_set():
                children[_fork(index, run_process, previous)] = index
    finally:
        for sig, handler in previous.items():
            signal.signal(sig, handler)
    return 0


def _fork(index: int, run_process: Callable[[int], None], handlers: dict) -> int:
    parent = os.getpid()
    pid = os.fork()
    if pid:
        return pid
    code = 0
    try:  # the child: the signals as they were before the parent took them, and a watch on the parent
        for sig, handler in handlers.items():
            signal.signal(sig, handler)
        _stop_when_orphaned(parent)
        run_process(index)
    except KeyboardInterrupt:
        pass
    except BaseException:
        log.exception("server process %s failed", index)
        code = 1
    finally:
        os._exit(code)
    return 0  # pragma: no cover - never reached


def _stop_when_orphaned(parent: int) -> None:
    def watch() -> None:
        while os.getppid() == parent:
            time.sleep(1)
        os._exit(0)

    threading.Thread(target=watch, name="aftersales-parent-watch", daemon=True).start()
