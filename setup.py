"""Map each top-level concept folder onto a sub-package of `scaleblind`.

`tasks/` is importable as `scaleblind.tasks`, `graders/` as `scaleblind.graders`, and so on, so a newcomer finds
every concept by its folder name while the code stays one installable package. Adding a task folder needs no
change here: sub-packages are discovered. Data folders (`templates/`, `sandbox/image/`) are found as namespace
packages, so their files ship with the package-data patterns in pyproject.toml (and setuptools has no
"package would be ignored" warning to print).
"""
from setuptools import find_namespace_packages, setup

CONCEPT_FOLDERS = ["tasks", "prompts", "graders", "sandbox", "results", "platforms", "models"]

package_dir = {"scaleblind": "scaleblind"}
SKIP = ["__pycache__", "*.__pycache__"]
packages = ["scaleblind", *(f"scaleblind.{p}" for p in find_namespace_packages("scaleblind", exclude=SKIP))]
for folder in CONCEPT_FOLDERS:
    package_dir[f"scaleblind.{folder}"] = folder
    packages += [f"scaleblind.{folder}",
                 *(f"scaleblind.{folder}.{p}" for p in find_namespace_packages(folder, exclude=SKIP))]

setup(packages=packages, package_dir=package_dir)
