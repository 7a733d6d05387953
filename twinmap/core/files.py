"""Writing a set of files so that a reader finds all of them or none (exports, open data)."""

from __future__ import annotations

import os
import shutil
import tempfile
from collections.abc import Callable
from pathlib import Path


def write_all(directory: Path, files: dict[str, bytes | Callable[[], bytes]]) -> list[Path]:
    """Write ``files`` (name -> bytes, or a function that gives them) into ``directory``, all or none.

    A function is called only when its file is written, so thousands of attachments are never
    held in memory together.

    They are written into a temporary folder beside it and moved in only when every one is
    complete, so a failure halfway (a store that cannot be read, a full disk) leaves no mix of
    new and old files.
    """
    directory.parent.mkdir(parents=True, exist_ok=True)
    staging = Path(tempfile.mkdtemp(prefix=f".{directory.name}.", dir=directory.parent))
    try:
        for name, data in files.items():
            (staging / name).write_bytes(data() if callable(data) else data)
        directory.mkdir(exist_ok=True)
        for name in files:
            os.replace(staging / name, directory / name)
    finally:
        shutil.rmtree(staging, ignore_errors=True)
    return [directory / name for name in files]


def write_file(path: Path, data: bytes) -> Path:
    """Write one file whole or not at all: a failure leaves the old file (or none), never half a new one."""
    path.parent.mkdir(parents=True, exist_ok=True)
    handle, staging = tempfile.mkstemp(prefix=f".{path.name}.", dir=path.parent)
    try:
        with os.fdopen(handle, "wb") as out:
            out.write(data)
        os.replace(staging, path)
    finally:
        Path(staging).unlink(missing_ok=True)
    return path
