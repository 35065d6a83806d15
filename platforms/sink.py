"""A write-only output stream (a file, an object-store upload) for batch jobs such as exports.

The driver keeps what is written and checks it at the end; the solution only ever sees `write`.
"""
import csv
import hashlib
import io
from typing import Any

from .clock import VirtualClock
from .errors import BadRequest

# What is written is kept in the driver's memory: the largest honest export (orders_csv at growth) is about
# 1.2 MB, so 64 MB leaves room for any export while a flood cannot exhaust the driver.
MAX_SINK_BYTES = 64 * 1024 * 1024


class SinkSimulator:
    """Collects the text a solution writes, charging a small cost per write call."""

    kind = "sink"

    def __init__(self, clock: VirtualClock, per_write_ms: float = 0.0):
        self.clock = clock
        self.per_write_ms = per_write_ms
        self.chunks: list[str] = []
        self.bytes = 0
        self.writes = 0

    def start_request(self) -> None:
        self.chunks, self.bytes, self.writes = [], 0, 0

    def handle(self, message: dict) -> Any:
        data = message.get("data")
        if message.get("method") != "write" or not isinstance(data, str):
            raise BadRequest("a sink only accepts write(str)")
        self.bytes += len(data)
        if self.bytes > MAX_SINK_BYTES:
            raise BadRequest("output larger than the sink accepts")
        self.writes += 1
        self.chunks.append(data)
        self.clock.advance(self.per_write_ms)
        return len(data)

    def text(self) -> str:
        return "".join(self.chunks)

    def usage(self) -> dict:
        return {"sink_bytes": self.bytes, "sink_writes": self.writes, "io_ms": self.writes * self.per_write_ms}


def canonical_csv(text: str) -> dict:
    """CSV compared by value: line endings and quoting style do not matter; fields, their order and row order do."""
    lines = list(map("\x1f".join, filter(None, csv.reader(io.StringIO(text, newline="")))))
    digest = hashlib.sha256("\x1e".join(lines).encode()).hexdigest()
    return {"rows": len(lines), "head": [line.split("\x1f") for line in lines[:3]], "sha256": digest}
