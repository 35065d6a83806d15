"""Rebuilding after an edit removes the sandbox images of older inputs, never the current one."""
import pytest

pytestmark = pytest.mark.docker


def test_stale_sandbox_images_are_removed(sandbox_image):
    from scaleblind.sandbox.image import IMAGE_REPO, docker_client, remove_stale_images
    client = docker_client()
    stale = f"{IMAGE_REPO}:stale-prune-test"
    client.images.get(sandbox_image).tag(stale)
    assert remove_stale_images(client, keep=sandbox_image) >= 1
    tags = {t for image in client.images.list(name=IMAGE_REPO) for t in image.tags}
    assert sandbox_image in tags and stale not in tags
