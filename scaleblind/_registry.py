"""Imported by the `inspect_ai` entry point: importing a module here registers its components."""

from scaleblind.sandbox.inspect_env import *  # noqa: F401,F403  (sandbox: @sandboxenv "scaleblind")
