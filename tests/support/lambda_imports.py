"""What the upload trigger loads when it runs as the Lambda function."""

from __future__ import annotations

import json
import subprocess
import sys


def modules_the_handler_loads() -> dict[str, str | None]:
    """Module name -> source file (None for built-ins) of everything a fresh interpreter has
    loaded once it imported the handler and the MediaConvert backend, the Lambda's
    configuration."""
    code = (
        "import json, sys, vod_testbed.pipeline.trigger.handler, "
        "vod_testbed.backends.mediaconvert.backend;"
        "print(json.dumps({n: getattr(m, '__file__', None) for n, m in sys.modules.items()}))"
    )
    result = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True
    )
    loaded: dict[str, str | None] = json.loads(result.stdout)
    return loaded
