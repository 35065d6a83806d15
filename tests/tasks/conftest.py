"""`validated(task_id)`: a task's validation through the local sandbox, run once per test session."""
import asyncio

import pytest

from scaleblind.graders.validate import validate_task
from scaleblind.sandbox.local import LocalSandbox
from scaleblind.tasks.registry import get_task


@pytest.fixture(scope="session")
def validated():
    results: dict[str, dict] = {}

    def get(task_id: str) -> dict:
        if task_id not in results:
            results[task_id] = asyncio.run(validate_task(get_task(task_id), LocalSandbox()))
        return results[task_id]

    return get
