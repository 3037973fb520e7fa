"""The file mechanics under :mod:`alignment.storage`: bounded reads, atomic writes, locks, moves.

Everything here speaks in paths and raises :class:`OSError`; the store turns those into
messages that name the item and the fix.
"""

from __future__ import annotations

import contextlib
import fcntl
import os
import secrets
import stat
import threading
from collections.abc import Iterator
from pathlib import Path

Signature = tuple[int, ...]


class NotAFileError(OSError):
    """The path names a folder, a device or a pipe where a saved file should be."""


def signature(info: os.stat_result) -> Signature:
    """What changes whenever a file is replaced or edited: device, inode, size and times."""
    return (info.st_dev, info.st_ino, info.st_size, info.st_mtime_ns, info.st_ctime_ns)


def read_bounded(path: Path, limit: int) -> tuple[Signature, bytes] | None:
    """The file's signature and up to ``limit + 1`` bytes; None when it does not exist.

    Never follows a link at the last step and never waits on a pipe planted under the name.
    """
    try:
        fd = os.open(path, os.O_RDONLY | os.O_NOFOLLOW | os.O_NONBLOCK)
    except (FileNotFoundError, NotADirectoryError):
        return None
    try:
        info = os.fstat(fd)
        if not stat.S_ISREG(info.st_mode):
            raise NotAFileError(f"{path.name} is not a file")
    except OSError:
        os.close(fd)
        raise
    with os.fdopen(fd, "rb") as handle:
        return signature(info), handle.read(limit + 1)


def write_atomically(path: Path, data: bytes) -> Signature:
    """Replace ``path`` with ``data``: readers see the old file or the new one, never half.

    A temporary file in the same folder is written, flushed to disk and renamed over ``path``;
    on any failure the temporary file is removed and the old file stays.
    """
    temp = path.with_name(f".{path.name}.{secrets.token_hex(4)}.tmp")
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        fd = os.open(temp, os.O_WRONLY | os.O_CREAT | os.O_EXCL | os.O_NOFOLLOW, 0o600)
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
            handle.flush()
            os.fsync(handle.fileno())
        os.replace(temp, path)
        info = os.stat(path, follow_symlinks=False)
    finally:
        with contextlib.suppress(OSError):  # renamed already, or its folder never existed
            temp.unlink()
    fsync_folder(path.parent)
    return signature(info)


def move_aside(source: Path, folder: Path, stem: str, suffix: str) -> Path:
    """Rename ``source`` to ``folder/<stem><suffix>`` (``-2``, ``-3`` … if taken); the new path.

    The rename is atomic, and a name already in use is never reused, so nothing is overwritten.
    """
    folder.mkdir(parents=True, exist_ok=True)
    for attempt in range(1, 100):
        target = folder / (stem + (f"-{attempt}" if attempt > 1 else "") + suffix)
        if os.path.lexists(target):
            continue
        os.rename(source, target)
        fsync_folder(source.parent)
        fsync_folder(folder)
        return target
    raise FileExistsError(f"no free name for {stem}{suffix} in {folder.name}")


def remove(path: Path) -> None:
    """Delete ``path`` and make the deletion durable."""
    path.unlink()
    fsync_folder(path.parent)


# All Streamlit sessions run in one process and may each hold their own store on the same
# folder: flock alone does not order threads of one process reliably, so each lock file also
# has a process-wide threading lock, keyed by its path.
_THREAD_LOCKS: dict[str, threading.Lock] = {}
_THREAD_LOCKS_GUARD = threading.Lock()


def thread_lock(name: str) -> threading.Lock:
    with _THREAD_LOCKS_GUARD:
        return _THREAD_LOCKS.setdefault(name, threading.Lock())


@contextlib.contextmanager
def locked(lock_path: Path) -> Iterator[None]:
    """Hold ``lock_path``'s lock: one thread in this process, one process on this machine."""
    lock_path.parent.mkdir(parents=True, exist_ok=True)
    with thread_lock(str(lock_path)):
        fd = os.open(lock_path, os.O_RDWR | os.O_CREAT | os.O_NOFOLLOW, 0o600)
        try:
            fcntl.flock(fd, fcntl.LOCK_EX)
            yield
        finally:
            os.close(fd)  # closing releases the flock


def fsync_folder(folder: Path) -> None:
    """Make a rename or unlink durable: the folder entry is flushed too."""
    with contextlib.suppress(OSError):
        fd = os.open(folder, os.O_RDONLY)
        try:
            os.fsync(fd)
        finally:
            os.close(fd)
