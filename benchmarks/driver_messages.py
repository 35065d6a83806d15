"""How long the driver takes to read one long message from the solution (issue 11, finding 9).

The old reader appended each chunk to a buffer and searched the whole buffer for the end of line after every
chunk: quadratic (a 64 MB line took 22 s). The reader now searches only the new bytes. This prints, for lines
of 8 to 64 MB written through a real pipe, the seconds and the seconds per MB of the driver's reader; the
seconds per MB should stay flat. Usage: python benchmarks/driver_messages.py
"""
import json
import os
import statistics
import threading
import time
from collections import deque

from scaleblind.graders.process import SolutionProcess, _pipe


class PipeReader(SolutionProcess):
    """The driver's reader over a bare pipe (no solution process)."""

    def __init__(self, read_fd: int):
        self._from_child, self._partial, self._partial_bytes, self._lines = read_fd, [], 0, deque()
        os.set_blocking(read_fd, False)


def read_seconds(megabytes: int) -> float:
    read_fd, write_fd = _pipe()
    line = json.dumps({"op": "result", "value": "x" * (megabytes * 1024 * 1024 - 30)}).encode() + b"\n"
    writer = threading.Thread(target=_write_all, args=(write_fd, line))
    reader = PipeReader(read_fd)
    started = time.perf_counter()
    writer.start()
    message = None
    while not isinstance(message, dict):
        message = reader.poll_message(0.02)
        assert not isinstance(message, str), message
    seconds = time.perf_counter() - started
    writer.join()
    os.close(read_fd)
    os.close(write_fd)
    return seconds


def _write_all(fd: int, data: bytes) -> None:
    view = memoryview(data)
    while view:
        view = view[os.write(fd, view[:1 << 20]):]


def main() -> None:
    print(f"{'line MB':>8} {'seconds':>8} {'s per MB':>9}")
    for megabytes in (8, 16, 32, 64):
        seconds = statistics.median(read_seconds(megabytes) for _ in range(3))
        print(f"{megabytes:>8} {seconds:>8.3f} {seconds / megabytes:>9.4f}")


if __name__ == "__main__":
    main()
