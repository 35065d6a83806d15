"""A wheel (not only an editable install) must carry every data file the package reads at run time: the page
and dataset-card templates, the prompt templates, the sandbox image recipe. Data folders are packages found by
setup.py, and pyproject's package-data patterns must match their files."""
import fnmatch
import tomllib
from pathlib import Path

import setuptools

ROOT = Path(__file__).resolve().parents[1]
DATA_FILES = ["results/templates/leaderboard.html", "results/templates/page.css", "results/templates/page.js",
              "results/templates/dataset_card.md", "prompts/templates/role.md", "prompts/variants.toml",
              "models/templates/reference_answer.md", "sandbox/image/Dockerfile", "sandbox/image/rootfs.recipe"]


def setup_arguments(monkeypatch) -> dict:
    captured: dict = {}
    monkeypatch.setattr(setuptools, "setup", lambda **kwargs: captured.update(kwargs))
    monkeypatch.chdir(ROOT)
    exec(compile((ROOT / "setup.py").read_text(), "setup.py", "exec"), {"__name__": "__main__"})
    return captured


def source_folder(package: str, package_dir: dict[str, str]) -> Path:
    """`scaleblind.results.templates` -> results/templates, through setup.py's folder mapping."""
    parts = package.split(".")
    for depth in range(len(parts), 0, -1):
        prefix = ".".join(parts[:depth])
        if prefix in package_dir:
            return Path(package_dir[prefix]).joinpath(*parts[depth:])
    raise AssertionError(f"{package} has no source folder")


def test_every_runtime_data_file_ships_in_a_wheel(monkeypatch):
    args = setup_arguments(monkeypatch)
    package_data = tomllib.loads((ROOT / "pyproject.toml").read_text())["tool"]["setuptools"]["package-data"]
    folders = {pkg: source_folder(pkg, args["package_dir"]) for pkg in args["packages"]}
    for data_file in DATA_FILES:
        folder, name = str(Path(data_file).parent), Path(data_file).name
        owner = [pkg for pkg, path in folders.items() if str(path) == folder]
        assert owner, f"{folder} is not a package: {data_file} would be left out of a wheel"
        patterns = package_data.get("*", []) + package_data.get(owner[0], [])
        assert any(fnmatch.fnmatch(name, p) for p in patterns), f"no package-data pattern matches {data_file}"
    assert not [p for p in args["packages"] if "__pycache__" in p]
