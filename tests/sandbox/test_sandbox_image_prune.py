"""Rebuilding after an edit removes the sandbox images of older inputs, never the current one, and never the
images another checkout on the same machine built."""
import io

import pytest

pytestmark = pytest.mark.docker


def test_stale_sandbox_images_are_removed(sandbox_image):
    """The stale image is labelled as this checkout's own: the current image may carry another checkout's
    label when both checkouts have the same inputs (the tag is a hash of the inputs, so they share it)."""
    from scaleblind.sandbox.image import IMAGE_REPO, LABEL_CHECKOUT, checkout_id, docker_client, remove_stale_images
    client = docker_client()
    stale = f"{IMAGE_REPO}:stale-prune-test"
    dockerfile = f"FROM {sandbox_image}\nLABEL {LABEL_CHECKOUT}={checkout_id()}\n".encode()
    client.images.build(fileobj=io.BytesIO(dockerfile), tag=stale, pull=False, network_mode="none", rm=True)
    assert remove_stale_images(client, keep=sandbox_image) >= 1
    tags = {t for image in client.images.list(name=IMAGE_REPO) for t in image.tags}
    assert sandbox_image in tags and stale not in tags


def test_images_of_another_checkout_are_kept(sandbox_image):
    from scaleblind.sandbox.image import IMAGE_REPO, LABEL_CHECKOUT, docker_client, remove_stale_images
    client = docker_client()
    other = f"{IMAGE_REPO}:other-checkout-test"
    dockerfile = f"FROM {sandbox_image}\nLABEL {LABEL_CHECKOUT}=another-clone\n".encode()
    client.images.build(fileobj=io.BytesIO(dockerfile), tag=other, pull=False, network_mode="none", rm=True)
    try:
        remove_stale_images(client, keep=sandbox_image)
        tags = {t for image in client.images.list(name=IMAGE_REPO) for t in image.tags}
        assert other in tags and sandbox_image in tags
    finally:
        client.images.remove(other)
