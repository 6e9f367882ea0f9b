"""Files: reads are bounded and never wait forever; saves replace only regular files.

Real files, pipes, sockets and processes throughout: a FIFO made with
``os.mkfifo``, a save killed with ``SIGKILL``, a folder flush seen through
Python's audit hooks.
"""

import contextlib
import errno
import fcntl
import os
import re
import signal
import socket
import stat
import subprocess
import sys
import textwrap
import threading
from collections.abc import Iterator
from pathlib import Path

import pytest

from kgru_relations import Dataset, iter_observations, load, save
from kgru_relations.files import (
    DEFAULT_READ_LIMIT,
    read_bytes,
    read_lines,
    read_stream,
    write_atomically,
    write_together,
)

# --- reading -------------------------------------------------------------------------------------


def test_a_regular_file_is_read_whole(tmp_path: Path) -> None:
    path = tmp_path / "data.json"
    path.write_bytes(b"x" * 3_000_000)
    assert read_bytes(path) == b"x" * 3_000_000
    assert read_bytes(str(path), limit=3_000_000) == b"x" * 3_000_000
    assert DEFAULT_READ_LIMIT == 1024**3


def test_a_file_larger_than_the_limit_is_refused_unread(tmp_path: Path) -> None:
    path = tmp_path / "big.json"
    path.write_bytes(b"{}" * 10)
    with pytest.raises(OSError, match="larger than the limit of 19 bytes") as caught:
        read_bytes(path, limit=19)
    assert caught.value.errno == errno.EFBIG
    assert caught.value.filename == str(path)


def test_a_stream_that_never_ends_is_read_only_up_to_the_limit() -> None:
    # Standard input, in `kgru-relations check - < /dev/zero`.
    endless = Path("/dev/zero").open("rb")  # noqa: SIM115 - closed below
    with endless, pytest.raises(OSError, match="larger than the limit of 3 MiB") as caught:
        read_stream(endless, limit=3 * 1024**2, name="standard input")
    assert caught.value.filename == "standard input"


def test_a_stream_is_read_to_its_end_within_the_limit() -> None:
    read, write = os.pipe()
    os.write(write, b'{"schema_version": 1}')
    os.close(write)
    with os.fdopen(read, "rb") as stream:
        assert read_stream(stream) == b'{"schema_version": 1}'


@pytest.mark.parametrize(
    ("path", "kind"), [("/dev/zero", "a character device"), ("/dev/null", "a character device")]
)
def test_devices_are_refused_not_read(path: str, kind: str) -> None:
    # /dev/zero never ends: reading it whole ended in a MemoryError.
    with pytest.raises(OSError, match=f"it is {kind}, not a regular file") as caught:
        read_bytes(path)
    assert caught.value.filename == path
    with pytest.raises(OSError, match=kind):
        load(path)


def test_a_directory_is_refused(tmp_path: Path) -> None:
    with pytest.raises(IsADirectoryError, match="it is a directory, not a regular file"):
        read_bytes(tmp_path)


def test_a_socket_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "s"
    with socket.socket(socket.AF_UNIX) as server:
        server.bind(str(path))
        with pytest.raises(OSError, match="it is a socket, not a regular file"):
            read_bytes(path)
        with pytest.raises(OSError, match="it is a socket, not a regular file"):
            write_atomically(path, [b"{}"])
    assert stat.S_ISSOCK(path.lstat().st_mode)


def test_a_pipe_with_no_writer_is_given_up_on(tmp_path: Path) -> None:
    fifo = tmp_path / "fifo"
    os.mkfifo(fifo)
    # Before, opening it waited for a writer forever.
    with pytest.raises(TimeoutError, match="nothing was written to this pipe") as caught:
        read_bytes(fifo, timeout=0.01)
    assert isinstance(caught.value, OSError)
    assert caught.value.filename == str(fifo)


def test_lines_are_read_in_bounded_memory_and_a_long_line_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "lines.jsonl"
    path.write_bytes(b"one\ntwo\n\n" + b"x" * 5000 + b"\nlast")
    assert list(read_lines(path)) == [b"one", b"two", b"", b"x" * 5000, b"last"]
    with pytest.raises(OSError, match="larger than the limit") as caught:
        list(read_lines(path, line_limit=100))
    assert caught.value.filename == f"{path}, line 4"
    lines = read_lines(path, line_limit=100)
    assert [next(lines) for _ in range(3)] == [b"one", b"two", b""]  # those before it first
    with pytest.raises(OSError, match="larger than the limit"):
        next(lines)


def test_json_lines_are_never_read_from_a_device_or_a_silent_pipe(tmp_path: Path) -> None:
    # Before, iter_observations("/dev/zero") read one endless line into memory.
    with pytest.raises(OSError, match="character device"):
        next(iter_observations("/dev/zero"))
    fifo = tmp_path / "fifo.jsonl"
    os.mkfifo(fifo)
    with pytest.raises(TimeoutError):
        list(read_lines(fifo, timeout=0.01))


@contextlib.contextmanager
def feeding(fifo: Path, data: bytes) -> Iterator[None]:
    """While in the block, a thread opens *fifo*, writes *data* into it and closes it.

    A reader that stops early is fine. If the code under test never opened the
    pipe, the thread still waits for a reader on leaving the block; it is given
    one, so a failing test fails rather than hangs.
    """

    def write() -> None:
        with contextlib.suppress(BrokenPipeError), fifo.open("wb") as stream:
            stream.write(data)

    writer = threading.Thread(target=write, daemon=True)
    writer.start()
    try:
        yield
    finally:
        if writer.is_alive():
            reader = os.open(fifo, os.O_RDONLY | os.O_NONBLOCK)
            os.close(reader)
        writer.join()


def test_a_pipe_is_read_until_its_writer_closes_it(tmp_path: Path) -> None:
    fifo = tmp_path / "fifo"
    os.mkfifo(fifo)
    data = b'{"schema_version": 1}\n' * 200_000  # more than a pipe holds at once
    with feeding(fifo, data):
        assert read_bytes(fifo) == data  # the default timeout: a minute between pieces
    with feeding(fifo, b'{"schema_version": 1}'):
        assert load(fifo) == Dataset()


def test_a_pipe_is_read_only_up_to_the_limit(tmp_path: Path) -> None:
    fifo = tmp_path / "fifo"
    os.mkfifo(fifo)
    with (
        feeding(fifo, b"x" * 100_000),
        pytest.raises(OSError, match="larger than the limit of 1,000 bytes"),
    ):
        read_bytes(fifo, limit=1000, timeout=None)


def test_a_symbolic_link_loop_is_an_os_error(tmp_path: Path) -> None:
    # Before, saving raised RuntimeError('Symlink loop from ...') on 3.11 and 3.12.
    one, two = tmp_path / "one.json", tmp_path / "two.json"
    one.symlink_to(two)
    two.symlink_to(one)
    with pytest.raises(OSError, match="Too many levels of symbolic links") as caught:
        write_atomically(one, [b"{}"])
    assert caught.value.errno == errno.ELOOP
    with pytest.raises(OSError, match="Too many levels of symbolic links"):
        read_bytes(one)
    with pytest.raises(OSError, match="Too many levels of symbolic links"):
        save(Dataset(), one)
    assert one.is_symlink()
    assert two.is_symlink()


# --- writing -------------------------------------------------------------------------------------


def test_a_named_pipe_is_refused_not_replaced(tmp_path: Path) -> None:
    fifo = tmp_path / "fifo"
    os.mkfifo(fifo)
    with pytest.raises(OSError, match="it is a named pipe") as caught:
        save(Dataset(), fifo)
    assert str(caught.value) == (
        f"[Errno 22] it is a named pipe (FIFO), not a regular file; "
        f"only a regular file is replaced: '{fifo}'"
    )
    assert stat.S_ISFIFO(fifo.lstat().st_mode)
    assert sorted(p.name for p in tmp_path.iterdir()) == ["fifo"]


def a_device(tmp_path: Path) -> Path:
    """A character device, like /dev/null, in *tmp_path*; or a link to /dev/null.

    As root, `export -o /dev/null` replaced /dev/null with a regular file. A test
    that saves to /dev/null itself would do that again if run against such
    code, so root gets a device of its own: a null device made in *tmp_path*.
    """
    device = tmp_path / "null"
    try:
        os.mknod(device, 0o666 | stat.S_IFCHR, os.makedev(1, 3))
    except PermissionError:
        if os.geteuid() == 0:  # root without CAP_MKNOD: /dev/null itself is not safe to try
            pytest.skip("cannot make a device node")
        device.symlink_to("/dev/null")  # which only root could replace
    return device


def test_a_device_is_refused_not_replaced(tmp_path: Path) -> None:
    device = a_device(tmp_path)
    with pytest.raises(OSError, match="it is a character device, not a regular file"):
        save(Dataset(), device)
    assert stat.S_ISCHR(os.stat(device).st_mode)
    assert sorted(p.name for p in tmp_path.iterdir()) == ["null"]


def test_a_directory_is_refused_not_replaced(tmp_path: Path) -> None:
    folder = tmp_path / "folder"
    folder.mkdir()
    with pytest.raises(IsADirectoryError, match="it is a directory"):
        write_atomically(folder, [b"{}"])
    assert folder.is_dir()


def test_a_very_long_name_can_still_be_saved(tmp_path: Path) -> None:
    # The temporary file's name must fit in 255 bytes too.
    path = tmp_path / ("x" * 250 + ".json")
    save(Dataset(), path)
    assert load(path) == Dataset()
    assert [p.name for p in tmp_path.iterdir()] == [path.name]


_AUDITED: list[tuple[str, tuple[object, ...]]] = []
_LISTENING: list[bool] = []


def _audit(event: str, details: tuple[object, ...]) -> None:
    if _LISTENING and event in {"open", "os.rename"}:
        _AUDITED.append((event, details))


sys.addaudithook(_audit)


def test_the_folder_is_flushed_after_the_rename(tmp_path: Path) -> None:
    path = tmp_path / "data.json"
    _AUDITED.clear()
    _LISTENING.append(True)
    try:
        save(Dataset(), path)
    finally:
        _LISTENING.clear()
    renamed = [i for i, (event, _) in enumerate(_AUDITED) if event == "os.rename"]
    folder_opened = [
        i
        for i, (event, details) in enumerate(_AUDITED)
        if event == "open"
        and Path(str(details[0])) == tmp_path
        and isinstance(details[2], int)
        and details[2] & os.O_DIRECTORY
    ]
    assert len(renamed) == 1
    assert folder_opened
    assert folder_opened[-1] > renamed[0]  # opened to be flushed once the new name is in it


_KILLED_MID_SAVE = textwrap.dedent(
    """
    import sys
    from kgru_relations.files import write_atomically

    def chunks():
        yield b'{"schema_version": 1, '
        print("writing", flush=True)
        sys.stdin.read()  # until killed
        yield b"}"

    write_atomically(sys.argv[1], chunks())
    """
)


def _start_a_save(path: Path) -> tuple[subprocess.Popen[str], Path]:
    """A process that saves to *path* and is stopped mid-way; and its temporary file."""
    process = subprocess.Popen(
        [sys.executable, "-c", _KILLED_MID_SAVE, str(path)],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        text=True,
    )
    assert process.stdout is not None
    assert process.stdout.readline() == "writing\n"
    name = re.compile(rf"\.{re.escape(path.name)}\.{process.pid}\.[0-9a-f]{{8}}\.tmp")
    [temporary] = [p for p in path.parent.iterdir() if name.fullmatch(p.name)]
    return process, temporary


def _kill(process: subprocess.Popen[str]) -> None:
    process.send_signal(signal.SIGKILL)
    process.communicate()


def test_a_save_that_was_killed_is_cleaned_up_by_the_next(tmp_path: Path) -> None:
    path = tmp_path / "data.json"
    path.write_bytes(b"old")
    running, in_progress = _start_a_save(tmp_path / "other.json")
    try:
        killed, left = _start_a_save(path)
        _kill(killed)
        assert left.exists()  # a kill cannot clean up
        others = [tmp_path / ".data.json.tmp", tmp_path / "data.json.123.0123abcd.tmp"]
        for other in others:
            other.write_bytes(b"not ours")
        # Named by a process that is gone, but held open and locked: in use, say by a
        # process on another machine that shares the folder.
        locked = tmp_path / f".data.json.{killed.pid}.89abcdef.tmp"
        with locked.open("wb") as holder:
            fcntl.flock(holder, fcntl.LOCK_EX)
            save(Dataset(), path)
            assert locked.exists()
        assert not left.exists()  # its process is gone
        assert in_progress.exists()  # its process is still writing it
        assert all(other.exists() for other in others)  # not named as we name ours
        assert load(path) == Dataset()
        save(Dataset(), path)
        assert not locked.exists()  # no longer locked
    finally:
        _kill(running)


def test_only_regular_files_named_as_ours_are_removed(tmp_path: Path) -> None:
    gone = _gone_pid()
    precious = tmp_path / "precious.json"
    precious.write_bytes(b"keep me")
    link = tmp_path / f".data.json.{gone}.00000001.tmp"
    link.symlink_to(precious)
    fifo = tmp_path / f".data.json.{gone}.00000002.tmp"
    os.mkfifo(fifo)
    huge = tmp_path / ".data.json.9999999999.00000003.tmp"  # not a process id this system has
    huge.write_bytes(b"")
    save(Dataset(), tmp_path / "data.json")
    assert link.is_symlink()
    assert precious.read_bytes() == b"keep me"
    assert fifo.is_fifo()
    assert huge.exists()


def _gone_pid() -> int:
    """The id of a process that has ended."""
    process = subprocess.Popen([sys.executable, "-c", "pass"])
    process.wait()
    return process.pid


def test_a_save_into_a_missing_folder_fails_plainly(tmp_path: Path) -> None:
    with pytest.raises(FileNotFoundError):
        save(Dataset(), tmp_path / "no-such-folder" / "data.json")


def test_a_failed_save_leaves_no_temporary_file(tmp_path: Path) -> None:
    path = tmp_path / "data.json"

    def chunks() -> Iterator[bytes]:
        yield b"{"
        raise ConnectionError("the feed broke")

    with pytest.raises(ConnectionError):
        write_atomically(path, chunks())
    assert list(tmp_path.iterdir()) == []


def test_files_written_together_replace_nothing_unless_all_are_written(tmp_path: Path) -> None:
    first, second = tmp_path / "a.csv", tmp_path / "b"
    first.write_bytes(b"old")
    second.mkdir()  # cannot be replaced: refused, after a.csv was staged
    with pytest.raises(IsADirectoryError):
        write_together([(first, [b"new"]), (second, [b"new"])])
    assert first.read_bytes() == b"old"
    assert sorted(path.name for path in tmp_path.iterdir()) == ["a.csv", "b"]  # no temporaries
    write_together([(first, [b"n", b"ew"]), (tmp_path / "c.csv", [b"c"])])
    assert (first.read_bytes(), (tmp_path / "c.csv").read_bytes()) == (b"new", b"c")


def test_a_folder_that_cannot_hold_the_file_is_told_of_the_path_asked_for(tmp_path: Path) -> None:
    # The temporary file beside it (.data.json.28594.84f8620f.tmp) means nothing to the user.
    paths = [tmp_path / "missing" / "data.json"]
    if Path("/proc/self").exists():  # Linux: /proc holds no files of ours
        paths.append(Path("/proc/data.json"))
    for path in paths:
        with pytest.raises(FileNotFoundError) as caught:
            write_atomically(path, [b"{}"])
        assert caught.value.filename == str(path)
        assert str(caught.value) == f"[Errno {errno.ENOENT}] {caught.value.strerror}: '{path}'"
        assert ".tmp" not in str(caught.value)


@pytest.mark.skipif(sys.platform == "win32", reason="no RLIMIT_FSIZE")
def test_a_file_too_large_to_write_is_told_of_the_path_asked_for(tmp_path: Path) -> None:
    import resource  # noqa: PLC0415 - not on Windows

    path = tmp_path / "data.json"
    path.write_bytes(b"old")
    ignored = signal.signal(signal.SIGXFSZ, signal.SIG_IGN)  # EFBIG, not a signal that kills
    limits = resource.getrlimit(resource.RLIMIT_FSIZE)
    resource.setrlimit(resource.RLIMIT_FSIZE, (1000, limits[1]))
    try:
        with pytest.raises(OSError, match="File too large") as caught:
            write_atomically(path, [b"x" * 600, b"y" * 600])
    finally:
        resource.setrlimit(resource.RLIMIT_FSIZE, limits)
        signal.signal(signal.SIGXFSZ, ignored)
    assert caught.value.errno == errno.EFBIG
    assert caught.value.filename == str(path)
    assert ".tmp" not in str(caught.value)
    assert path.read_bytes() == b"old"
    assert [entry.name for entry in tmp_path.iterdir()] == ["data.json"]
