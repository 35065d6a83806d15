"""What a task's generator builds for one tier: the platforms the solution may call and the requests to send."""
from dataclasses import dataclass, field
from typing import Any, Protocol

from .clock import VirtualClock


class Platform(Protocol):
    kind: str

    def start_request(self) -> None: ...
    def handle(self, message: dict) -> Any: ...
    def usage(self) -> dict: ...


@dataclass
class Request:
    """Keyword arguments for the task's entry function.

    `chain` maps an argument name to a key of the previous answer (e.g. a feed's `cursor` comes from the
    previous page's `next_cursor`), so opaque cursors can be followed without the driver knowing their form.
    """

    args: dict
    chain: dict[str, str] = field(default_factory=dict)


@dataclass
class World:
    clock: VirtualClock
    platforms: dict[str, Platform]   # keyed by the entry function's parameter name: "api", "db", "out"
    requests: list[Request]
