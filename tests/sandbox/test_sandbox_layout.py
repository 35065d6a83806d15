"""The sandbox package's shape: one job per module, imports in one direction only, the in-container helpers
plain standard-library Python. No Docker needed."""

from __future__ import annotations

import ast
import subprocess
import sys
from pathlib import Path

import scaleblind.sandbox

SANDBOX = Path(scaleblind.sandbox.__file__).resolve().parent
PREFIX = "scaleblind.sandbox."


def sandbox_imports(path: Path) -> set[str]:
    """Every sandbox module `path` imports, at top level or inside a function (a lazy import still loops)."""
    found = set()
    for node in ast.walk(ast.parse(path.read_text())):
        if isinstance(node, ast.ImportFrom) and node.module:
            module = node.module if node.level == 0 else PREFIX + node.module
            names = [module] + [f"{module}.{alias.name}" for alias in node.names]
        elif isinstance(node, ast.Import):
            names = [alias.name for alias in node.names]
        else:
            continue
        found |= {name[len(PREFIX):].split(".")[0] for name in names if name.startswith(PREFIX)}
    return found - {path.stem}


def test_no_import_cycle_in_the_sandbox_package() -> None:
    graph = {path.stem: sandbox_imports(path) for path in SANDBOX.glob("*.py")}
    graph = {name: {dep for dep in deps if dep in graph} for name, deps in graph.items()}

    def reaches(start: str, target: str, seen: set[str]) -> bool:
        for dep in graph[start] - seen:
            if dep == target or reaches(dep, target, seen | {dep}):
                return True
        return False

    cycles = sorted(name for name in graph if reaches(name, name, set()))
    assert not cycles, f"modules on an import cycle: {cycles} ({ {n: sorted(graph[n]) for n in cycles} })"


def test_in_container_helpers_use_the_standard_library_only() -> None:
    """They run in the image's Python, where scaleblind's host code is absent."""
    tree = ast.parse((SANDBOX / "in_container.py").read_text())
    modules = {alias.name.split(".")[0] for node in ast.walk(tree) if isinstance(node, ast.Import)
               for alias in node.names}
    modules |= {node.module.split(".")[0] for node in ast.walk(tree)
                if isinstance(node, ast.ImportFrom) and node.module}
    assert modules <= set(sys.stdlib_module_names), modules - set(sys.stdlib_module_names)


def test_in_container_file_helpers_round_trip(tmp_path: Path) -> None:
    """The write/read helpers as the container runs them (`python3 -I -S -c <source> ...`), on the host."""
    from scaleblind.sandbox.container import helper_command

    def run(*args: str, data: bytes | None = None) -> subprocess.CompletedProcess[bytes]:
        command = [sys.executable, *helper_command(*args)[1:]]
        return subprocess.run(command, input=data, capture_output=True, timeout=30)

    target = tmp_path / "deep" / "file.bin"
    assert run("write", str(target), data=b"\x00payload").returncode == 0
    assert run("read", str(target), "100").stdout == b"\x00payload"
    assert run("read", str(target), "3").returncode == 5  # larger than the limit
    assert run("read", str(tmp_path / "missing"), "100").returncode == 2
    assert run("read", str(tmp_path), "100").returncode == 3
    assert run("write", str(tmp_path), data=b"x").returncode == 3
