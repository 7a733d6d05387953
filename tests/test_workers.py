"""Heavy work in a worker process: its result comes back, its error is the job's own, its death is one line."""

from __future__ import annotations

import math
import os
import signal
import sys
import threading
import time
from pathlib import Path

import pytest

from twinmap.ui import workers


def _children() -> list[int]:
    """This process's child processes (Linux: from /proc), to show that none is left behind."""
    found = []
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = stat.read_text().rsplit(")", 1)[1].split()
        except OSError:  # a process that ended meanwhile
            continue
        if int(fields[1]) == os.getpid():
            found.append(int(stat.parent.name))
    return found


def _pid_and_square(n: int) -> tuple[int, int]:
    print("a job that prints")  # noqa: T201 (to the log: never into the answer)
    return os.getpid(), n * n


def _refuse(why: str) -> None:
    raise ValueError(why)


def _die() -> None:
    os.kill(os.getpid(), signal.SIGKILL)  # as the machine's out-of-memory killer would


def _hold(times: int) -> int:
    """C work that never lets go of its interpreter (a big factorial, about 0.2 s each): as a long layout does."""
    for _ in range(times):
        math.factorial(150_000)
    return times


def test_a_job_runs_in_its_own_process_and_its_result_comes_back():
    pid, value = workers.run(_pid_and_square, 12)
    assert value == 144 and pid != os.getpid()
    assert not _children()  # gone when done: nothing left between jobs


def _chatty(kb: int) -> int:
    sys.stderr.write("a library's warning, once per fresh interpreter\n" * (kb * 20))
    return kb


def test_what_a_worker_writes_is_read_by_the_server_not_left_in_its_pipe(capfd):
    """A worker writing into the server's own output would stop once that pipe was full (nobody reads it)."""
    assert workers.run(_chatty, 512) == 512  # 512 kB: eight times a pipe's buffer
    assert "a library's warning" not in capfd.readouterr().err


def test_the_jobs_own_error_is_raised_as_it_was():
    with pytest.raises(ValueError, match="no such year"):
        workers.run(_refuse, "no such year")


def test_a_worker_that_dies_is_said_in_one_line_and_the_next_job_gets_a_new_one():
    with pytest.raises(workers.WorkerError, match="stopped before it finished"):
        workers.run(_die)
    assert workers.run(_pid_and_square, 3)[1] == 9
    assert not _children()


def test_the_readers_interpreter_stays_free_while_a_job_runs():
    """A 1 ms ticker in this process keeps ticking while the worker holds its own interpreter for seconds.

    Run here instead (``_hold(8)`` in this process), the ticker stops for 0.2 s at a time, 1.8 s in all.
    """
    gaps: list[float] = []
    done = threading.Event()

    def tick() -> None:
        last = time.perf_counter()
        while not done.is_set():
            time.sleep(0.001)
            now = time.perf_counter()
            gaps.append(now - last)
            last = now

    ticker = threading.Thread(target=tick)
    ticker.start()
    try:
        assert workers.run(_hold, 8) == 8
    finally:
        done.set()
        ticker.join()
    stalled = sum(g for g in gaps if g > 0.1)  # run here, about 1.8 s; a busy test machine's own hiccups, far less
    assert stalled < 0.6, f"the ticker stood still for {stalled:.2f} s in all"
