"""Build the sandbox image offline, from local material only.

No container registry is reachable (and none is needed): the base is a Debian rootfs made with
`debootstrap` from the recipe in `sandbox/image/rootfs.recipe`, loaded with `docker import`, then extended
by `sandbox/image/Dockerfile` with the `solution` user and the staged trusted runtime.

The image tag is a hash of every input (recipe, Dockerfile, staged runtime files), so a rebuild happens
only when one of them changes and a second `build` is a no-op that says so. Nothing is ever tagged `:latest`.
"""

from __future__ import annotations

import contextlib
import fcntl
import hashlib
import os
import shutil
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Iterator

IMAGE_REPO = "scaleblind-sandbox"
BASE_REPO = "scaleblind-base"
INPUTS_DIR = Path(__file__).resolve().parent / "image"
RECIPE_FILE = INPUTS_DIR / "rootfs.recipe"
DOCKERFILE = INPUTS_DIR / "Dockerfile"
LABEL_INPUTS = "scaleblind.image.inputs"
LABEL_CHECKOUT = "scaleblind.image.checkout"  # which source folder built it: builds prune only their own
# Parts of the rootfs a sandbox never needs: downloaded .debs, apt indexes, manuals, translations.
ROOTFS_EXCLUDES = (
    "./dev/*", "./proc/*", "./sys/*", "./run/*", "./tmp/*",
    "./var/cache/apt/archives/*.deb", "./var/lib/apt/lists/*",
    "./usr/share/man/*", "./usr/share/locale/*", "./usr/share/info/*",
)


@dataclass(frozen=True)
class BuildResult:
    """What `build_image` did: `built` is False when the image was already current (a no-op)."""

    tag: str
    built: bool
    seconds: float
    message: str
    warnings: tuple[str, ...] = ()


def log(msg: str) -> None:
    """Progress goes to stderr so `--json` output on stdout stays clean."""
    print(f"[sandbox build] {msg}", file=sys.stderr, flush=True)


def cache_dir() -> Path:
    """Where rootfs tarballs live between builds (never inside the repository)."""
    override = os.environ.get("SCALEBLIND_CACHE_DIR")
    if override:
        path = Path(override)
    elif os.geteuid() == 0:
        path = Path("/var/cache/scaleblind")
    else:
        path = Path.home() / ".cache" / "scaleblind"
    path.mkdir(parents=True, exist_ok=True)
    return path


def read_recipe() -> dict[str, str]:
    """Parse `key=value` lines of the rootfs recipe (comments and blanks ignored)."""
    recipe: dict[str, str] = {}
    for line in RECIPE_FILE.read_text().splitlines():
        line = line.strip()
        if line and not line.startswith("#"):
            key, _, value = line.partition("=")
            recipe[key.strip()] = value.strip()
    missing = {"suite", "variant", "include", "mirror"} - recipe.keys()
    if missing:
        raise ValueError(f"{RECIPE_FILE}: missing keys {sorted(missing)}")
    return recipe


def recipe_hash() -> str:
    """Hash of the rootfs recipe: names the cached tarball and the imported base image."""
    return hashlib.sha256(RECIPE_FILE.read_bytes()).hexdigest()[:16]


def base_tag() -> str:
    return f"{BASE_REPO}:{recipe_hash()}"


def stage_context(dest: Path) -> list[str]:
    """Fill a docker build context: the Dockerfile plus the staged trusted runtime. Returns warnings."""
    shutil.copy2(DOCKERFILE, dest / "Dockerfile")
    runtime = dest / "runtime"
    runtime.mkdir()
    try:
        from scaleblind.sandbox.runtime import stage_runtime
    except ModuleNotFoundError as exc:
        if exc.name != "scaleblind.sandbox.runtime":
            raise
        (runtime / "scaleblind").mkdir()
        (runtime / "scaleblind" / "__init__.py").write_text("")
        (runtime / "solution_lib").mkdir()
        return ["scaleblind.sandbox.runtime is missing: the image holds no driver yet"]
    stage_runtime(runtime)
    for required in ("scaleblind", "solution_lib"):
        (runtime / required).mkdir(exist_ok=True)
    return []


def hash_tree(root: Path, extra: bytes = b"") -> str:
    """Content hash of a directory: relative paths, exec bits and bytes, in a stable order."""
    digest = hashlib.sha256(extra)
    for path in sorted(p for p in root.rglob("*") if p.is_file() and "__pycache__" not in p.parts):
        rel = path.relative_to(root).as_posix()
        executable = bool(path.stat().st_mode & 0o111)
        digest.update(f"{rel}\0{int(executable)}\0".encode())
        digest.update(hashlib.sha256(path.read_bytes()).digest())
    return digest.hexdigest()


@contextlib.contextmanager
def staged_context() -> Iterator[tuple[Path, str, list[str]]]:
    """Stage the build context in a temp dir; yields (dir, full input hash, warnings)."""
    with tempfile.TemporaryDirectory(prefix="scaleblind-ctx-") as tmp:
        ctx = Path(tmp)
        warnings = stage_context(ctx)
        yield ctx, hash_tree(ctx, extra=RECIPE_FILE.read_bytes() + LABEL_CHECKOUT.encode()), warnings


_pinned_tag: str | None = None


def image_tag() -> str:
    """The tag of the current inputs, computed once per process (and pinned by `build_image`), so one run
    uses one image even while the working tree changes under it."""
    global _pinned_tag
    if _pinned_tag is None:
        with staged_context() as (_, digest, _):
            _pinned_tag = f"{IMAGE_REPO}:{digest[:16]}"
    return _pinned_tag


def docker_client() -> Any:
    """A docker SDK client for the local engine (imported lazily: no work at import time)."""
    import docker

    return docker.from_env(timeout=600)


def image_exists(client: Any, tag: str) -> bool:
    import docker.errors

    try:
        client.images.get(tag)
        return True
    except docker.errors.ImageNotFound:
        return False


@contextlib.contextmanager
def build_lock() -> Iterator[None]:
    """Serialise concurrent builds (two CI jobs, two shells) on one machine."""
    with open(cache_dir() / "build.lock", "w") as handle:
        fcntl.flock(handle, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(handle, fcntl.LOCK_UN)


def rootfs_tarball() -> Path:
    """Path of the cached rootfs tarball, making it with debootstrap when absent (about 70 s)."""
    tarball = cache_dir() / f"rootfs-{recipe_hash()}.tar"
    if tarball.exists():
        log(f"using cached rootfs {tarball}")
        return tarball
    if shutil.which("debootstrap") is None:
        raise RuntimeError("debootstrap not found: run `apt-get install -y debootstrap` (as root)")
    if os.geteuid() != 0:
        raise RuntimeError("debootstrap needs root: run `sudo scaleblind sandbox build` once")
    recipe = read_recipe()
    work = Path(tempfile.mkdtemp(prefix="rootfs-", dir=cache_dir()))
    try:
        cmd = ["debootstrap", f"--variant={recipe['variant']}", f"--include={recipe['include']}",
               recipe["suite"], str(work), recipe["mirror"]]
        log("running " + " ".join(cmd))
        subprocess.run(cmd, check=True, stdout=subprocess.DEVNULL)
        partial = tarball.with_suffix(".tar.part")
        excludes = [f"--exclude={pattern}" for pattern in ROOTFS_EXCLUDES]
        subprocess.run(["tar", "--numeric-owner", *excludes, "-C", str(work), "-cf", str(partial), "."],
                       check=True)
        partial.rename(tarball)
    finally:
        shutil.rmtree(work, ignore_errors=True)
    log(f"rootfs cached at {tarball}")
    return tarball


def ensure_base_image(client: Any) -> str:
    """Import the rootfs tarball as the base image unless it is already present."""
    tag = base_tag()
    if image_exists(client, tag):
        return tag
    tarball = rootfs_tarball()
    log(f"importing {tarball.name} as {tag}")
    repo, _, version = tag.partition(":")
    client.api.import_image_from_file(str(tarball), repository=repo, tag=version)
    if not image_exists(client, tag):
        raise RuntimeError(f"docker import did not produce {tag}")
    return tag


def run_docker_build(client: Any, ctx: Path, tag: str, base: str, digest: str) -> None:
    """Legacy-builder build with no network; raises with the builder's own error text."""
    stream = client.api.build(
        path=str(ctx), tag=tag, buildargs={"BASE_IMAGE": base}, pull=False, rm=True, forcerm=True,
        network_mode="none", labels={LABEL_INPUTS: digest, LABEL_CHECKOUT: checkout_id(), "scaleblind.sandbox.image": "1"},
        decode=True,
    )
    for chunk in stream:
        if "error" in chunk:
            raise RuntimeError(f"docker build failed: {chunk['error'].strip()}")
        text = chunk.get("stream", "").strip()
        if text.startswith("Step "):
            log(text)


def build_image(force: bool = False) -> BuildResult:
    """Build the sandbox image if its inputs changed (or `force`); a no-op otherwise, and says so."""
    start = time.monotonic()
    client = docker_client()
    with build_lock(), staged_context() as (ctx, digest, warnings):
        tag = f"{IMAGE_REPO}:{digest[:16]}"
        global _pinned_tag
        _pinned_tag = tag
        if not force and image_exists(client, tag):
            msg = f"image {tag} is up to date (inputs unchanged): nothing to build"
            return BuildResult(tag, False, time.monotonic() - start, msg, tuple(warnings))
        base = ensure_base_image(client)
        run_docker_build(client, ctx, tag, base, digest)
        removed = remove_stale_images(client, keep=tag)
    seconds = time.monotonic() - start
    note = f" (removed {removed} stale image{'s' * (removed != 1)})" if removed else ""
    return BuildResult(tag, True, seconds, f"built {tag} in {seconds:.1f}s{note}", tuple(warnings))


def checkout_id() -> str:
    """A short hash of the folder this package is installed from: two checkouts on one machine (a clone
    beside a work tree) each keep their own current image instead of pruning each other's."""
    return hashlib.sha256(str(INPUTS_DIR.parent.parent).encode()).hexdigest()[:12]


def remove_stale_images(client: Any, keep: str) -> int:
    """Remove older sandbox images built from this checkout (every edit of the runtime makes a new tag).
    An image a container still uses is left alone: the engine refuses to remove it, and the next build
    tries again. Images of other checkouts are theirs to prune."""
    removed = 0
    for image in client.images.list(name=IMAGE_REPO, filters={"label": f"{LABEL_CHECKOUT}={checkout_id()}"}):
        for tag in (t for t in image.tags if t != keep):
            try:
                client.images.remove(tag, noprune=False)
                removed += 1
            except Exception:  # in use by a container, or already gone
                pass
    return removed


def main() -> int:
    """`python -m scaleblind.sandbox.image [--force | --print-tag]`: a build entry that needs no CLI wiring."""
    if "--print-tag" in sys.argv[1:]:
        print(image_tag())
        return 0
    result = build_image(force="--force" in sys.argv[1:])
    for warning in result.warnings:
        print(f"warning: {warning}", file=sys.stderr)
    print(result.message)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
