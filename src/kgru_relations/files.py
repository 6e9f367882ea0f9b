"""Reading and writing the library's files: bounded reads, atomic saves.

Every file the library writes goes through
[`write_atomically`][kgru_relations.files.write_atomically]: a temporary file
beside the target, flushed to disk, then renamed over it, and the folder
flushed too, so a crash mid-save leaves the old file whole. Every file it
reads goes through [`read_bytes`][kgru_relations.files.read_bytes], which
reads at most a limit (1 GiB by default) and never waits forever on a pipe.

Only regular files are replaced. A directory, a named pipe (FIFO), a device
such as `/dev/null` or a socket is refused with an `OSError` that names it and
says what it is, rather than replaced by a regular file. A named pipe can be
read (it is how `<(command)` in a shell hands over its output); devices,
directories and sockets cannot.

A temporary file is named `.{name}.{pid}.{random}.tmp` after the file it
will replace and the process writing it. A process killed mid-save leaves it
behind; the next save into the same folder removes it, once no process with
that id is running and no one holds it open for writing.
"""

from __future__ import annotations

import contextlib
import errno
import math
import os
import re
import secrets
import select
import stat
import sys
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import BinaryIO, Final

__all__ = [
    "DEFAULT_LINE_LIMIT",
    "DEFAULT_READ_LIMIT",
    "DEFAULT_TIMEOUT",
    "PathLike",
    "read_bytes",
    "read_lines",
    "read_stream",
    "write_atomically",
    "write_together",
]

PathLike = str | os.PathLike[str]
"""A file's path, as text or a path object."""

DEFAULT_READ_LIMIT: Final = 1024**3
"""The most bytes [`read_bytes`][kgru_relations.files.read_bytes] reads by default: 1 GiB."""

DEFAULT_TIMEOUT: Final = 60.0
"""How long, in seconds, reading a pipe waits for its next bytes by default."""

_CHUNK: Final = 1024 * 1024
# `.{name}.{pid}.{8 hex digits}.tmp`: the name of a temporary file this module writes.
_TEMPORARY: Final = re.compile(r"\..*\.(?P<pid>[1-9][0-9]{0,9})\.[0-9a-f]{8}\.tmp", re.DOTALL)
_NAME_KEPT: Final = 200  # of the target's name in the temporary's, so it stays under 255 bytes


# --- what a path is ------------------------------------------------------------------------------


def _kind(mode: int) -> str:
    """What a file that is not a regular file is, in words."""
    kinds = (
        (stat.S_ISDIR, "a directory"),
        (stat.S_ISFIFO, "a named pipe (FIFO)"),
        (stat.S_ISCHR, "a character device"),
        (stat.S_ISBLK, "a block device"),
        (stat.S_ISSOCK, "a socket"),
    )
    return next((word for test, word in kinds if test(mode)), "not a regular file")


def _refused(path: PathLike, mode: int, doing: str) -> OSError:
    """The error for a file of the wrong kind: ``it is a character device, ...``."""
    message = f"it is {_kind(mode)}, not a regular file; {doing}"
    if stat.S_ISDIR(mode):
        return IsADirectoryError(errno.EISDIR, message, os.fspath(path))
    return OSError(errno.EINVAL, message, os.fspath(path))


def _size(count: int) -> str:
    """``1 GiB``, ``64 MiB``, ``1,000 bytes``."""
    for unit, size in (("GiB", 1024**3), ("MiB", 1024**2), ("KiB", 1024)):
        if count >= size and count % size == 0:
            return f"{count // size} {unit}"
    return f"{count:,} bytes"


def _too_large(name: str, limit: int) -> OSError:
    message = f"it is larger than the limit of {_size(limit)} that is read"
    return OSError(errno.EFBIG, message, name)


# --- reading -------------------------------------------------------------------------------------


def read_bytes(
    path: PathLike, *, limit: int = DEFAULT_READ_LIMIT, timeout: float | None = DEFAULT_TIMEOUT
) -> bytes:
    """Return the whole content of the regular file or pipe at *path*, at most *limit* bytes.

    A named pipe (FIFO), or a `/dev/fd/N` path from a shell's `<(command)`, is
    read until its writer closes it. Reading it gives up when no bytes arrive
    for *timeout* seconds, so a pipe that nothing writes to is an error, not
    a wait forever.

    Args:
        path: The file to read.
        limit: The most bytes to read; a longer file is an error, found before
            it is read when its size is known.
        timeout: For a pipe, how many seconds to wait for its next bytes
            (`None`: as long as it takes).

    Raises:
        OSError: If the file cannot be read: it does not exist
            (`FileNotFoundError`), may not be read (`PermissionError`), is a
            directory (`IsADirectoryError`), a device or a socket, a symbolic
            link loop, or is larger than *limit*. A pipe that stays silent for
            *timeout* seconds raises `TimeoutError`. The error's `filename` is
            *path*, its `strerror` says what is wrong.

    Examples:
        >>> read_bytes("/dev/zero")
        Traceback (most recent call last):
        ...
        OSError: [Errno 22] it is a character device, not a regular file; only regular files and pipes are read: '/dev/zero'
    """  # noqa: E501
    with _chunks(path, timeout) as (chunks, size):
        if size is not None and size > limit:
            raise _too_large(os.fspath(path), limit)
        return _bounded(chunks, os.fspath(path), limit)


DEFAULT_LINE_LIMIT: Final = 64 * 1024**2
"""The longest line (64 MiB) [`read_lines`][kgru_relations.files.read_lines] reads."""


def read_lines(
    path: PathLike,
    *,
    line_limit: int = DEFAULT_LINE_LIMIT,
    timeout: float | None = DEFAULT_TIMEOUT,
) -> Iterator[bytes]:
    """Yield the lines of the regular file or pipe at *path*, each without its line break.

    The file is read in chunks, so memory stays bounded by the longest line,
    whatever the file's size; files and pipes are opened, refused and waited
    for as [`read_bytes`][kgru_relations.files.read_bytes] does.

    Raises:
        OSError: As ``read_bytes`` does; and for a line longer than *line_limit*
            bytes (``EFBIG``, naming the line).
    """
    for lines in line_batches(path, line_limit=line_limit, timeout=timeout):
        yield from lines


def line_batches(
    path: PathLike,
    *,
    line_limit: int = DEFAULT_LINE_LIMIT,
    timeout: float | None = DEFAULT_TIMEOUT,
) -> Iterator[list[bytes]]:
    """The lines of *path*, as ``read_lines`` gives them, in lists.

    Each list holds the whole lines that one read brought (a megabyte of a
    file; whatever a pipe had ready), so a reader can handle many lines in
    one step without waiting for more input than it has.
    """
    # Chunks of a megabyte: memory stays that of one chunk and the longest line.
    with _chunks(path, timeout, whole=False) as (chunks, _):
        pending = b""
        number = 0  # lines given so far
        for chunk in chunks:
            pending += chunk
            *lines, pending = pending.split(b"\n")
            if lines and max(map(len, lines)) > line_limit:
                too_long = next(i for i, line in enumerate(lines) if len(line) > line_limit)
                if too_long:
                    yield lines[:too_long]
                raise _too_large(f"{os.fspath(path)}, line {number + too_long + 1}", line_limit)
            number += len(lines)
            if lines:
                yield lines
            if len(pending) > line_limit:
                raise _too_large(f"{os.fspath(path)}, line {number + 1}", line_limit)
        if pending:
            yield [pending]


@contextlib.contextmanager
def _chunks(
    path: PathLike, timeout: float | None, *, whole: bool = True
) -> Iterator[tuple[Iterator[bytes], int | None]]:
    """Open *path* (a regular file or a pipe) and give its chunks, and its size if known.

    With *whole*, a regular file's first chunk is all of it that its size
    says (up to 64 MiB), for a reader that keeps it all anyway.
    """
    doing = "only regular files and pipes are read"
    mode = os.stat(path).st_mode
    if not (stat.S_ISREG(mode) or stat.S_ISFIFO(mode)):
        raise _refused(path, mode, doing)
    # Opening a pipe without O_NONBLOCK would wait for a writer with no way out.
    flags = os.O_RDONLY | os.O_NONBLOCK | getattr(os, "O_NOCTTY", 0) | getattr(os, "O_BINARY", 0)
    handle = os.open(path, flags | os.O_CLOEXEC)
    try:
        opened = os.fstat(handle)
        if stat.S_ISREG(opened.st_mode):
            first = min(opened.st_size + 1, _CHUNK * 64) if whole else _CHUNK
            yield _file_chunks(handle, first), opened.st_size
        elif stat.S_ISFIFO(opened.st_mode):
            yield _pipe_chunks(handle, os.fspath(path), timeout), None
        else:  # pragma: no cover - replaced between the two looks
            raise _refused(path, opened.st_mode, doing)
    finally:
        os.close(handle)


def read_stream(stream: BinaryIO, *, limit: int = DEFAULT_READ_LIMIT, name: str = "-") -> bytes:
    """Return everything left in *stream* (standard input, say), at most *limit* bytes.

    Args:
        stream: A binary stream, such as `sys.stdin.buffer`.
        limit: The most bytes to read.
        name: What to call the stream in an error (its `filename`).

    Raises:
        OSError: If the stream cannot be read, or holds more than *limit* bytes.

    Examples:
        >>> import io
        >>> read_stream(io.BytesIO(b"{}"))
        b'{}'
        >>> read_stream(io.BytesIO(b"[1, 2, 3]"), limit=4)
        Traceback (most recent call last):
        ...
        OSError: [Errno 27] it is larger than the limit of 4 bytes that is read: '-'
    """
    return _bounded(iter(lambda: stream.read(_CHUNK), b""), name, limit)


def _bounded(chunks: Iterable[bytes], name: str, limit: int) -> bytes:
    parts: list[bytes] = []
    total = 0
    for chunk in chunks:
        total += len(chunk)
        if total > limit:
            raise _too_large(name, limit)
        parts.append(chunk)
    return parts[0] if len(parts) == 1 else b"".join(parts)


def _file_chunks(handle: int, first: int) -> Iterator[bytes]:
    """The file's bytes: what its size says in one read, then whatever it grew by."""
    size = first
    while chunk := os.read(handle, size):
        yield chunk
        size = _CHUNK


def _pipe_chunks(handle: int, name: str, timeout: float | None) -> Iterator[bytes]:
    """The pipe's bytes until its writer closes it, waiting at most *timeout* for each."""
    wait = None if timeout is None else math.ceil(max(timeout, 0) * 1000)
    poller = select.poll()
    poller.register(handle, select.POLLIN)
    while True:
        # Until a writer has opened the pipe, Linux reports nothing, not even a hang-up.
        if not poller.poll(wait):
            message = f"nothing was written to this pipe for {timeout:g} seconds"
            raise TimeoutError(errno.ETIMEDOUT, message, name)
        try:
            chunk = os.read(handle, _CHUNK)
        except BlockingIOError:  # pragma: no cover - woken with nothing to read after all
            continue
        if not chunk:
            return
        yield chunk


# --- writing -------------------------------------------------------------------------------------


def write_atomically(path: PathLike, chunks: Iterable[bytes]) -> None:
    """Write to a temporary file beside *path*, flush it to disk, then replace *path*.

    A symbolic link is followed (its target is replaced, the link kept), and the
    file keeps the permissions it had, or gets the usual ones for a new file.
    After the rename, the folder is flushed too, so the new name survives a
    crash. Temporary files left in the folder by a save that was killed are
    removed first.

    Raises:
        OSError: If *path* cannot be written: its folder does not exist or may
            not be written, it is a symbolic link loop, or it exists and is not
            a regular file (a directory, a named pipe, a device such as
            `/dev/null`, a socket), which is refused rather than replaced.
            Whatever *chunks* raises is raised too; the old file is then kept.
    """
    write_together([(path, chunks)])


def write_together(files: Iterable[tuple[PathLike, Iterable[bytes]]]) -> None:
    """Write several files, as [`write_atomically`][kgru_relations.files.write_atomically] does one.

    Each file is written to a temporary file beside it and flushed to disk;
    none replaces its old file until every one is written, so a failure (a
    full disk, a target that is not a regular file, whatever the chunks
    raise) leaves every old file as it was. Only the renames at the end, one
    a file, could be cut off between them.

    Args:
        files: (path, chunks) pairs, read one after the other.

    Raises:
        OSError: As ``write_atomically`` does, for the first file that cannot
            be written.
    """
    staged: list[tuple[Path, Path, PathLike]] = []  # (temporary, target, the path given)
    try:
        for path, chunks in files:
            try:
                target, permissions = _staging(path)
                if not any(target.parent == written.parent for _, written, _ in staged):
                    _remove_stale_temporaries(target.parent)
                handle, temporary = _create_temporary(target.parent, target.name)
            except OSError as error:
                raise _about(error, path) from None
            staged.append((temporary, target, path))
            _write(handle, chunks, path)
            try:
                os.chmod(temporary, permissions)
            except OSError as error:
                raise _about(error, path) from None
        for temporary, target, path in staged:
            try:
                os.replace(temporary, target)
            except OSError as error:
                raise _about(error, path) from None
    except BaseException:
        for temporary, _, _ in staged:
            temporary.unlink(missing_ok=True)
        raise
    for folder in dict.fromkeys(target.parent for _, target, _ in staged):
        _sync_folder(folder)


def _write(handle: int, chunks: Iterable[bytes], path: PathLike) -> None:
    """Write *chunks* to the open file *handle*, flush them to disk, and close it.

    What the chunks raise is raised as it is; the file's own errors are told
    of *path*.
    """
    stream = os.fdopen(handle, "wb")
    try:
        write = stream.write
        for chunk in chunks:
            try:
                write(chunk)
            except OSError as error:
                raise _about(error, path) from None
        try:
            stream.flush()
            os.fsync(stream.fileno())
        except OSError as error:
            raise _about(error, path) from None
    except BaseException:
        with contextlib.suppress(OSError):  # what is still buffered fails again: the first error
            stream.close()
        raise
    try:
        stream.close()
    except OSError as error:  # pragma: no cover - flushed already
        raise _about(error, path) from None


def _about(error: OSError, path: PathLike) -> OSError:
    """*error*, of writing the file for *path*, told of *path*: never of the temporary file.

    A temporary file's name (``.data.json.28594.84f8620f.tmp``) means nothing
    to the user, who asked for *path*, and the file is gone when they read it.
    """
    if error.errno is None:
        return error
    return type(error)(error.errno, error.strerror, os.fspath(path))


def _staging(path: PathLike) -> tuple[Path, int]:
    """The file to replace for *path* (a link's target) and the permissions it keeps or gets."""
    try:
        mode: int | None = os.stat(path).st_mode  # a link loop fails here: ELOOP
    except FileNotFoundError:
        mode = None
    if mode is not None and not stat.S_ISREG(mode):
        raise _refused(path, mode, "only a regular file is replaced")
    target = Path(os.path.realpath(path)) if os.path.islink(path) else Path(path)
    if mode is not None:
        return target, stat.S_IMODE(mode)
    umask = os.umask(0)
    os.umask(umask)
    return target, 0o666 & ~umask


def _create_temporary(folder: Path, name: str) -> tuple[int, Path]:
    """Create and open a new temporary file in *folder*, locked while it is written."""
    flags = os.O_WRONLY | os.O_CREAT | os.O_EXCL | os.O_CLOEXEC | getattr(os, "O_NOFOLLOW", 0)
    while True:
        temporary = folder / f".{name[:_NAME_KEPT]}.{os.getpid()}.{secrets.token_hex(4)}.tmp"
        try:
            handle = os.open(temporary, flags | getattr(os, "O_BINARY", 0), 0o600)
        except FileExistsError:  # pragma: no cover - 32 random bits, taken
            continue
        break
    if sys.platform != "win32":
        import fcntl  # noqa: PLC0415 - not on Windows

        fcntl.flock(handle, fcntl.LOCK_EX)  # released when the file is closed, or we die
    return handle, temporary


def _remove_stale_temporaries(folder: Path) -> None:
    """Remove temporary files of ours that a killed save left behind in *folder*.

    A file is removed only if its name is one this module gives, it is a
    regular file owned by this user, the process that named it is no longer
    running, and no one holds its lock. Removing is a courtesy: what cannot be
    removed is left.
    """
    if sys.platform == "win32":  # pragma: no cover - no process check, no flock
        return
    import fcntl  # noqa: PLC0415 - not on Windows

    try:
        entries = list(os.scandir(folder))
    except OSError:
        return  # creating the temporary file will say what is wrong
    for entry in entries:
        found = _TEMPORARY.fullmatch(entry.name)
        if found is None or _running(int(found["pid"])):
            continue
        try:
            handle = os.open(entry.path, os.O_RDONLY | os.O_NOFOLLOW | os.O_NONBLOCK | os.O_CLOEXEC)
        except OSError:
            continue
        try:
            details = os.fstat(handle)
            if not stat.S_ISREG(details.st_mode) or details.st_uid != os.geteuid():
                continue
            fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
            os.unlink(entry.path)
        except OSError:
            continue
        finally:
            os.close(handle)


def _running(pid: int) -> bool:
    """Whether a process with this id is running (or may be: one we may not signal)."""
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except (PermissionError, OverflowError):
        return True
    return True


def _sync_folder(folder: Path) -> None:
    """Flush the folder's entries to disk, so a rename in it survives a crash."""
    if sys.platform == "win32":  # pragma: no cover - folders cannot be opened there
        return
    handle = os.open(folder, os.O_RDONLY | getattr(os, "O_DIRECTORY", 0) | os.O_CLOEXEC)
    try:
        os.fsync(handle)
    except OSError as error:  # some file systems cannot flush a folder; the data is flushed
        if error.errno not in {errno.EINVAL, errno.ENOTSUP, errno.EBADF}:
            raise
    finally:
        os.close(handle)
