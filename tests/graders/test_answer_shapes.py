"""Honest answers in shapes the contract did not spell out still grade on their merits: an async entry, a
generator of ids, Decimal or numpy numbers, an entry bound by assignment."""
import asyncio

import pytest

from scaleblind.graders.grade import grade_answer
from scaleblind.sandbox.local import LocalSandbox
from scaleblind.tasks.registry import get_task

SPEC = get_task("filters/faceted_catalog")

ASYNC_GENERATOR_DECIMAL = '''
from decimal import Decimal

async def filter_products(api, filters, page=1, per_page=24):
    found = api.search_products(page=page, per_page=per_page, facets=["brand"], **filters)
    return {"total": Decimal(found["total"]), "product_ids": (item["id"] for item in found["items"]),
            "brand_counts": found["facets"]["brand"]}
'''

BOUND_BY_ASSIGNMENT = '''
import numpy as np

class FilterService:
    def __call__(self, api, filters, page=1, per_page=24):
        found = api.search_products(page=page, per_page=per_page, facets=["brand"], **filters)
        return {"total": np.int64(found["total"]), "product_ids": np.array([i["id"] for i in found["items"]]),
                "brand_counts": found["facets"]["brand"]}

filter_products = FilterService()
'''


@pytest.mark.slow
@pytest.mark.parametrize("code", [ASYNC_GENERATOR_DECIMAL, BOUND_BY_ASSIGNMENT], ids=["async-generator-decimal",
                                                                                    "assigned-callable-numpy"])
def test_unusual_but_honest_answers_are_scale_correct(code):
    verdict = asyncio.run(grade_answer(SPEC, f"```python\n{code}\n```", LocalSandbox()))
    assert verdict["scale_correct"], verdict["tiers"][-1].get("message")


@pytest.mark.parametrize("module", ["numpy", "pandas"])
def test_third_party_packages_stay_readable_when_the_venv_is_in_the_checkout(module):
    """Only the benchmark's own folders are denied to solutions, never an ancestor such as the checkout
    (where `make` puts `.venv`)."""
    from pathlib import Path

    from scaleblind.graders.driver import benchmark_dirs
    location = Path(__import__(module).__file__).resolve()
    denied = [Path(d) for d in benchmark_dirs()]
    assert denied and not any(location.is_relative_to(d) for d in denied)
    assert any(Path(get_task("filters/faceted_catalog").folder).is_relative_to(d) for d in denied)
