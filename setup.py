"""Map each top-level concept folder onto a sub-package of `scaleblind`.

`tasks/` is importable as `scaleblind.tasks`, `graders/` as `scaleblind.graders`, and so on, so a newcomer finds
every concept by its folder name while the code stays one installable package. Adding a task folder needs no
change here: sub-packages are discovered.
"""
from setuptools import find_packages, setup

CONCEPT_FOLDERS = ["tasks", "prompts", "graders", "sandbox", "results", "platforms", "models"]

package_dir = {"scaleblind": "scaleblind"}
packages = ["scaleblind", *(f"scaleblind.{p}" for p in find_packages("scaleblind"))]
for folder in CONCEPT_FOLDERS:
    package_dir[f"scaleblind.{folder}"] = folder
    packages += [f"scaleblind.{folder}", *(f"scaleblind.{folder}.{p}" for p in find_packages(folder))]

setup(packages=packages, package_dir=package_dir)
