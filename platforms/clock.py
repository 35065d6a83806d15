"""A virtual clock: simulated I/O advances it by exact amounts, never by real time."""
from dataclasses import dataclass


@dataclass
class VirtualClock:
    """Milliseconds of simulated time since the clock was made."""

    now_ms: float = 0.0

    def advance(self, ms: float) -> None:
        if ms < 0:
            raise ValueError("the virtual clock only moves forward")
        self.now_ms += ms
