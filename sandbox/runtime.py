"""The trusted runtime copied into the sandbox image: what the driver needs, and nothing the host needs.

Standard-library code only (the image's Python is Debian's 3.11.2). The solution's client library goes to a
separate, world-readable folder; everything else is readable by root only inside the image.
"""
import shutil
from pathlib import Path

import scaleblind

PACKAGE_ROOT = Path(scaleblind.__file__).resolve().parent
# package sub-folder -> source folder. Only the parts the driver imports.
RUNTIME_PARTS = {
    "platforms": "scaleblind.platforms",
    "tasks": "scaleblind.tasks",
    "graders": "scaleblind.graders",
}
# Host-side grader modules that import the sandbox layer (and so asyncio, docker): not needed inside.
HOST_ONLY = {"grade.py", "validate.py", "scorer.py"}
IGNORE = shutil.ignore_patterns("__pycache__", "*.pyc", "solution_lib", *HOST_ONLY)


def _source(module: str) -> Path:
    import importlib
    return Path(importlib.import_module(module).__file__).resolve().parent


def stage_runtime(dest: Path) -> None:
    """Write dest/scaleblind/... (trusted runtime) and dest/solution_lib/... (the solution's stubs)."""
    package = dest / "scaleblind"
    package.mkdir(parents=True, exist_ok=True)
    (package / "__init__.py").write_text('"""scaleblind runtime (sandbox copy)."""\n')
    for name, module in RUNTIME_PARTS.items():
        shutil.copytree(_source(module), package / name, ignore=IGNORE, dirs_exist_ok=True)
    shutil.copytree(_source("scaleblind.graders") / "solution_lib", dest / "solution_lib",
                    ignore=shutil.ignore_patterns("__pycache__", "*.pyc"), dirs_exist_ok=True)
