"""Finding 7 (scratch reset): fill the scratch tmpfs to the last byte and lock a directory, every tier; the old
driver's next tier could not even write its solution file. Each tier's process first checks that nothing of
the previous tier is left, then answers correctly. Task filters/faceted_catalog, Docker only (it fills the
scratch file system). Expected: every tier runs and gets a verdict (over_memory where the memory cgroup counts
the tmpfs pages, else a pass); none sees a leftover."""
import os

SCRATCH = os.getcwd()
LEFT = [name for name in os.listdir(SCRATCH) if name != "solution.py"]


def _fill():
    os.makedirs(os.path.join(SCRATCH, "locked", "inner"))
    block, number = b"\1" * (1024 * 1024), 0
    try:
        while True:
            with open(os.path.join(SCRATCH, f"fill-{number}"), "wb") as handle:
                for _ in range(48):
                    handle.write(block)
            number += 1
    except OSError:
        pass
    os.chmod(os.path.join(SCRATCH, "locked", "inner"), 0)
    os.chmod(os.path.join(SCRATCH, "locked"), 0)


_fill()


def filter_products(api, filters, page=1, per_page=24):
    if LEFT:
        return {"left by an earlier tier": LEFT}
    params = {key: value for key, value in filters.items() if value is not None}
    found = api.search_products(page=page, per_page=per_page, facets=["brand"], **params)
    return {"total": found["total"], "product_ids": [item["id"] for item in found["items"]],
            "brand_counts": found["facets"]["brand"]}
