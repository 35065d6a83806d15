"""The one error that is never the solution's: a fault in the benchmark itself. Standard library only."""

OURS = "a fault in scaleblind, not in the solution"


class HarnessError(RuntimeError):
    """Raised when the benchmark's own code fails: the driver, world building, the reference, a platform handler
    given valid input, the sandbox. The sample ends as an error that inspect retries and does not score;
    `crash` stays for exceptions the solution raises."""

    def __init__(self, detail: str):
        super().__init__(detail if detail.endswith(f"({OURS})") else f"{detail} ({OURS})")
