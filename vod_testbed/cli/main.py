"""``vod-testbed``: one command line for the testbed's tools.

Each sub-command lives in its own module exposing ``register(subparsers)``, which adds a
parser whose ``func`` default takes the parsed arguments and returns an exit code.
"""

from __future__ import annotations

import argparse
import importlib
import logging
import sys
from collections.abc import Sequence

from vod_testbed import __version__

SUBCOMMANDS = (
    "vod_testbed.cli.transcode",
    "vod_testbed.cli.validate",
    "vod_testbed.cli.report",
    "vod_testbed.cli.upload",
    "vod_testbed.cli.emulator",
    "vod_testbed.cli.dev",
    "vod_testbed.cli.wait",
    "vod_testbed.cli.db",
    "vod_testbed.cli.parity",
    "vod_testbed.cli.config_reference",
    "vod_testbed.cli.pipeline",
    "vod_testbed.cli.fixtures",
    "vod_testbed.cli.deploy",
    "vod_testbed.cli.player",
)


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="vod-testbed",
        description="Run the S3 -> MediaConvert -> HLS -> webhook pipeline offline, for real.",
    )
    parser.add_argument("-v", "--verbose", action="store_true", help="debug logging")
    parser.add_argument("--version", action="version", version=f"%(prog)s {__version__}")
    subparsers = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")
    for module_name in SUBCOMMANDS:
        try:
            module = importlib.import_module(module_name)
        except ModuleNotFoundError as exc:
            if exc.name == module_name:
                continue  # sub-command not part of this build
            raise
        module.register(subparsers)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    logging.basicConfig(
        level=logging.DEBUG if args.verbose else logging.INFO,
        format="%(asctime)s %(levelname)s %(name)s: %(message)s",
    )
    try:
        code: int = args.func(args)
    except KeyboardInterrupt:
        return 130
    except Exception as exc:
        if args.verbose:
            raise
        print(f"error: {type(exc).__name__}: {exc} (-v shows the traceback)", file=sys.stderr)
        return 2
    return code


if __name__ == "__main__":
    sys.exit(main())
