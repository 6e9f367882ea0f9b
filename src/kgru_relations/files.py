"""Reading and writing the library's files: bounded reads, atomic saves.

Every file the library writes goes through
[`write_atomically`][kgru_relations.files.write_atomically]: a temporary file
beside the target, flushed to disk, then renamed over it, so a crash mid-save
leaves the old file whole. Every file it reads goes through
[`read_bytes`][kgru_relations.files.read_bytes].
"""

from __future__ import annotations

import os
import stat
import tempfile
from collections.abc import Iterable
from pathlib import Path

__all__ = ["PathLike", "read_bytes", "write_atomically"]

PathLike = str | os.PathLike[str]
"""A file's path, as text or a path object."""


def read_bytes(path: PathLike) -> bytes:
    """Return the whole content of the file at *path*.

    Raises:
        OSError: If the file cannot be read.
    """
    return Path(path).read_bytes()


def write_atomically(path: PathLike, chunks: Iterable[bytes]) -> None:
    """Write to a temporary file beside *path*, flush it to disk, then replace *path*.

    A symbolic link is followed (its target is replaced, the link kept), and the
    file keeps the permissions it had, or gets the usual ones for a new file.
    """
    target = Path(path)
    if target.is_symlink():
        target = target.resolve()
    try:
        mode = stat.S_IMODE(target.stat().st_mode)
    except FileNotFoundError:
        umask = os.umask(0)
        os.umask(umask)
        mode = 0o666 & ~umask
    handle, temporary = tempfile.mkstemp(
        prefix=f".{target.name}.", suffix=".tmp", dir=target.parent
    )
    try:
        with os.fdopen(handle, "wb") as stream:
            for chunk in chunks:
                stream.write(chunk)
            stream.flush()
            os.fsync(stream.fileno())
        os.chmod(temporary, mode)
        os.replace(temporary, target)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise
