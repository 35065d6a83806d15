"""Reading one `docker exec` stream: the engine's 8-byte framed stdout/stderr, with a deadline and a cap.

Plain sockets and no engine calls, so the host never buffers more than the cap and never waits past the
deadline whatever the process in the container writes.
"""

from __future__ import annotations

import contextlib
import socket
import struct
import time
from dataclasses import dataclass, field

STDOUT, STDERR = 1, 2


@dataclass
class RawExec:
    """Outcome of one exec: bytes as produced, plus why it stopped early (if it did)."""

    returncode: int = -1
    stdout: bytearray = field(default_factory=bytearray)
    stderr: bytearray = field(default_factory=bytearray)
    timed_out: bool = False
    overflow: bool = False


def recv_exact(sock: socket.socket, size: int, deadline: float) -> bytes | None:
    """Read exactly `size` bytes before `deadline`; None at end of stream; TimeoutError after it."""
    chunks = bytearray()
    while len(chunks) < size:
        remaining = deadline - time.monotonic()
        if remaining <= 0:
            raise TimeoutError
        sock.settimeout(min(remaining, 5.0))
        try:
            data = sock.recv(min(size - len(chunks), 1 << 20))
        except socket.timeout:
            continue
        if not data:
            return None
        chunks += data
    return bytes(chunks)


def feed_stdin(sock: socket.socket, data: bytes) -> None:
    """Write stdin then half-close, so the process sees EOF; runs in its own thread to avoid deadlock."""
    try:
        sock.sendall(data)
        sock.shutdown(socket.SHUT_WR)
    except OSError:
        pass  # the process exited or closed stdin early: not an error of ours


def close_hard(sock: socket.socket) -> None:
    """Shut the connection down even while the SDK's response object still holds a reference to it."""
    with contextlib.suppress(OSError):
        sock.shutdown(socket.SHUT_RDWR)
    sock.close()


def pump_frames(sock: socket.socket, out: RawExec, deadline: float, limit: int) -> None:
    """Demultiplex docker's framed stdout/stderr until end of stream, the deadline, or the cap."""
    while True:
        header = recv_exact(sock, 8, deadline)
        if header is None:
            return
        kind, size = struct.unpack(">BxxxL", header)
        payload = recv_exact(sock, size, deadline) if size else b""
        if payload is None:
            return
        target = out.stderr if kind == STDERR else out.stdout
        target += payload
        if len(target) > limit:
            out.overflow = True
            return
