"""Imported by the `inspect_ai` entry point: importing a module here registers its components."""

from scaleblind.sandbox.inspect_env import *  # noqa: F401,F403  (sandbox: @sandboxenv "scaleblind")
from scaleblind.sandbox.inspect_local import LocalInspectSandbox  # noqa: F401  (sandbox: "scaleblind-local")
from scaleblind.models.reference import reference  # noqa: F401  (models: reference/scalable, reference/naive)
from scaleblind.models.replay import replay  # noqa: F401  (models: replay/<dir>)
from scaleblind.evaluation import scaleblind  # noqa: F401  (task: scaleblind/scaleblind)
