"""Finding 7 (scratch reset): every tier leaves a mess the next must not see or trip over: directories it
locks (0000, 0500) with files inside, files in its scratch dir and, run as the sandbox's solution uid, files in
/tmp and /dev/shm (written past the audit hook through a patched pathlib, as a hostile solution could). Each
tier's process first looks for the previous tier's mess and answers wrongly if any is left; otherwise it
answers correctly. Task filters/faceted_catalog. Expected: scale-correct (every tier starts clean)."""
import itertools
import os
import pathlib

SCRATCH = os.getcwd()
SHARED = ("/tmp", "/dev/shm")
SANDBOXED = os.getuid() == int(os.environ.get("SB_SOLUTION_UID", "1001"))


def _leftovers():
    found = [name for name in os.listdir(SCRATCH) if name != "solution.py"]
    if SANDBOXED:
        found += [f"{root}/{name}" for root in SHARED for name in os.listdir(root) if name.startswith("sb-mess")]
    return found


def _write_past_the_hook(target):
    """The audit hook reads a pathlib path once, the kernel gets it again: answer differently each time."""
    answers = itertools.cycle([os.path.join(SCRATCH, "decoy"), target])
    original = pathlib.PurePath.__fspath__
    pathlib.PurePath.__fspath__ = lambda self: next(answers)
    try:
        with open(pathlib.PosixPath("anything"), "w") as handle:
            handle.write("mess")
    finally:
        pathlib.PurePath.__fspath__ = original


def _make_a_mess():
    for name, mode in (("locked", 0o000), ("readonly", 0o500), ("private", 0o700)):
        os.makedirs(os.path.join(SCRATCH, name, "inner"))
        for folder in (os.path.join(SCRATCH, name), os.path.join(SCRATCH, name, "inner")):
            with open(os.path.join(folder, "file"), "wb") as handle:
                handle.write(b"x" * 1024 * 1024)
        os.chmod(os.path.join(SCRATCH, name, "inner"), mode)
        os.chmod(os.path.join(SCRATCH, name), mode)
    for number in range(8):
        with open(os.path.join(SCRATCH, f"blob-{number}"), "wb") as handle:
            handle.write(os.urandom(1024 * 1024))
    if SANDBOXED:
        for root in SHARED:
            _write_past_the_hook(f"{root}/sb-mess-{os.getpid()}")


LEFT = _leftovers()
_make_a_mess()


def filter_products(api, filters, page=1, per_page=24):
    if LEFT:
        return {"left by an earlier tier": LEFT}
    params = {key: value for key, value in filters.items() if value is not None}
    found = api.search_products(page=page, per_page=per_page, facets=["brand"], **params)
    return {"total": found["total"], "product_ids": [item["id"] for item in found["items"]],
            "brand_counts": found["facets"]["brand"]}
