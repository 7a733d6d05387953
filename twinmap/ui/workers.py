"""Heavy work beside the readers: one short-lived worker process per job, never the readers' interpreter.

The app serves every session from one Python process. A job that runs Python for seconds in it
(laying out a 1,800-page report, say) holds the interpreter the readers' pages need, and every
page of every reader waits its turn. :func:`run` hands such a job to a fresh process instead:

- **A fresh interpreter, not a fork.** The server has threads and an open store; a fork would
  copy both, and ``multiprocessing``'s spawn would import the server's own entry module again
  (and print Streamlit's warnings from it). The worker is ``python -c`` importing only this module
  and what the job needs, given everything as arguments: it never opens the store (a DuckDB file
  is open in one process at a time).
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
import os
import pickle
import signal
import subprocess
import sys
import threading
from collections.abc import Callable
from typing import Any, TypeVar

from twinmap.core import config

_LOG = logging.getLogger(__name__)
T = TypeVar("T")

MOST = 2  # jobs at once (two editors' reports); a 2-core machine keeps a core for the readers
_PR_SET_PDEATHSIG = 1  # prctl(2): the signal a process gets when the thread that started it ends
_CHILD = "from twinmap.ui.workers import serve_one; serve_one()"
_slots = threading.BoundedSemaphore(MOST)


class WorkerError(RuntimeError):
    """The worker process stopped before it finished (killed, out of memory): nothing it made is used."""


def run(job: Callable[..., T], *args: Any) -> T:
    """``job(*args)`` in a fresh worker process; its result (both must pickle: a module-level function).

    An exception the job raises is raised here as it was. A worker that dies raises
    :class:`WorkerError`, and nothing it was making is used.
    """
    asked = pickle.dumps((job, args), protocol=pickle.HIGHEST_PROTOCOL)
    env = {**os.environ, "STREAMLIT_LOGGER_LEVEL": "error"}
    with _slots:
        worker = subprocess.Popen([sys.executable, "-c", _CHILD], stdin=subprocess.PIPE,  # noqa: S603 (our own code)
                                  stdout=subprocess.PIPE, stderr=subprocess.PIPE, cwd=config.ROOT, env=env)  # fmt: skip
        try:
            # Its messages are read here as it writes them: a worker writing into the server's own
            # output (a pipe nobody reads while the server runs, under a supervisor) would stop
            # once that pipe was full, and the reader waiting for its report with it.
            out, said = worker.communicate(asked)
        except BaseException:  # this thread is being stopped: so is its worker
            worker.kill()
            worker.wait()
            raise
    said_text = said.decode("utf-8", "replace").strip()[-4000:]
    if worker.returncode != 0 or not out:
        _LOG.warning("twinmap: a worker stopped before it finished %s (exit code %s): %s",
                     getattr(job, "__name__", job), worker.returncode, said_text or "it said nothing")  # fmt: skip
        raise WorkerError("the worker process stopped before it finished")
    if said_text:  # warnings a fresh interpreter prints once (libraries' deprecations): kept out of the log
        _LOG.debug("twinmap: the worker of %s said: %s", getattr(job, "__name__", job), said_text)
    kind, value = pickle.loads(out)  # noqa: S301 (our own child's answer over its pipe: nobody else writes it)
    if kind == "error":
        raise value
    return value


def serve_one() -> None:
    """In the worker: stop with the server, read one job from stdin, write its outcome to stdout."""
    if sys.platform.startswith("linux"):  # the thread that started us waits for us: it ends only after we do
        with contextlib.suppress(OSError, AttributeError):
            ctypes.CDLL(None, use_errno=True).prctl(_PR_SET_PDEATHSIG, signal.SIGTERM)
    answer = sys.stdout.buffer
    sys.stdout = sys.stderr  # whatever the job prints goes to the server (its debug log), not into the answer
    job, args = pickle.load(sys.stdin.buffer)  # noqa: S301 (the server that started us, over our stdin)
    try:
        outcome: tuple[str, Any] = ("ok", job(*args))
    except Exception as err:  # sent back and raised in the server as the job's own error
        outcome = ("error", err)
    try:
        data = pickle.dumps(outcome, protocol=pickle.HIGHEST_PROTOCOL)
    except (pickle.PicklingError, TypeError, AttributeError):  # an exception that does not pickle: its words do
        data = pickle.dumps(("error", RuntimeError(str(outcome[1]))))
    answer.write(data)
    answer.flush()
