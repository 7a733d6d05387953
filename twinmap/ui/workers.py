"""Heavy work beside the readers: one short-lived worker process per job, never the readers' interpreter.

The app serves every session from one Python process. A job that runs Python for seconds in it
(laying out a 1,800-page report, say) holds the interpreter the readers' pages need, and every
page of every reader waits its turn. :func:`run` hands such a job to a fresh process instead:

- **Spawned, not forked.** The server has threads and an open store; a fork would copy both. The
  worker imports only what the job needs and is given everything as arguments: it never opens
  the store (a DuckDB file is open in one process at a time).
- **One process per job, gone when it is done.** Its memory goes back to the machine at once and
  nothing is left running between jobs. A worker also stops when the server does (Linux's
  parent-death signal), so none outlives it.
- **A worker that dies is said in one line** (:class:`WorkerError`); the next job gets a new one.

Jobs that run at once each get their own process (up to :data:`MOST` at a time; more wait).
"""

from __future__ import annotations

import contextlib
import ctypes
import logging
import multiprocessing
import pickle
import signal
import sys
import threading
from collections.abc import Callable
from typing import Any, TypeVar

_LOG = logging.getLogger(__name__)
T = TypeVar("T")

MOST = 2  # jobs at once (two editors' reports); a 2-core machine keeps a core for the readers
_PR_SET_PDEATHSIG = 1  # prctl(2): the signal a process gets when the thread that started it ends
_slots = threading.BoundedSemaphore(MOST)


class WorkerError(RuntimeError):
    """The worker process stopped before it finished (killed, out of memory): nothing it made is used."""


def run(job: Callable[..., T], *args: Any) -> T:
    """``job(*args)`` in a fresh worker process; its result (both must pickle: a module-level function).

    An exception the job raises is raised here as it was. A worker that dies raises
    :class:`WorkerError`, and nothing it was making is used.
    """
    context = multiprocessing.get_context("spawn")
    with _slots:
        receive, send = context.Pipe(duplex=False)
        worker = context.Process(target=_work, args=(send, job, args), name="twinmap-worker", daemon=True)
        worker.start()  # daemon: ended with the server (multiprocessing ends its daemons at exit)
        send.close()  # the worker holds the only sending end: its death is the end of the pipe
        try:
            kind, value = receive.recv()
        except EOFError:
            worker.join(5)
            _LOG.warning("twinmap: a worker stopped before it finished %s (exit code %s)",
                         getattr(job, "__name__", job), worker.exitcode)  # fmt: skip
            raise WorkerError("the worker process stopped before it finished") from None
        finally:
            receive.close()
            worker.join(5)
            if worker.is_alive():
                worker.terminate()
                worker.join()
    if kind == "error":
        raise value
    return value


def _work(send: Any, job: Callable[..., Any], args: tuple) -> None:
    """In the worker: stop with the server, run the job, send back its result or its exception."""
    if sys.platform.startswith("linux"):  # the thread that started us waits for us: it ends only after we do
        with contextlib.suppress(OSError, AttributeError):
            ctypes.CDLL(None, use_errno=True).prctl(_PR_SET_PDEATHSIG, signal.SIGTERM)
    try:
        outcome: tuple[str, Any] = ("ok", job(*args))
    except Exception as err:  # sent back and raised in the server as the job's own error
        outcome = ("error", err)
    try:
        send.send(outcome)
    except (pickle.PicklingError, TypeError, AttributeError):  # an exception that does not pickle: its words do
        send.send(("error", RuntimeError(str(outcome[1]))))
    finally:
        send.close()
