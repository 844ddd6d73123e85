"""The local stack - storage, the MediaConvert emulator and the pipeline - started together
from one settings object. ``vod-testbed dev`` and the pytest plugin both start it here."""

from vod_testbed.stack.settings import StackSettings, default_data_dir
from vod_testbed.stack.stack import Endpoints, Stack, StackInUseError, start_stack

__all__ = [
    "Endpoints",
    "Stack",
    "StackInUseError",
    "StackSettings",
    "default_data_dir",
    "start_stack",
]
