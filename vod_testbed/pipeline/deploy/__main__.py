"""``python -m vod_testbed.pipeline.deploy render --out DIR`` writes the staging artifacts;
``python -m vod_testbed.pipeline.deploy package --out FILE.zip`` builds the Lambda zip (with
the Linux wheels the trigger needs, unless ``--no-deps``).
"""

from __future__ import annotations

import argparse
from collections.abc import Sequence
from pathlib import Path

from vod_testbed.pipeline.deploy.artifacts import write_artifacts
from vod_testbed.pipeline.deploy.config import DeployConfig
from vod_testbed.pipeline.deploy.lambda_package import build_package


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m vod_testbed.pipeline.deploy", description="Staging deployment artifacts."
    )
    commands = parser.add_subparsers(dest="command", required=True)
    render_cmd = commands.add_parser("render", help="write IAM, S3, EventBridge and Lambda JSON")
    render_cmd.add_argument("--out", type=Path, required=True, help="output folder")
    package_cmd = commands.add_parser("package", help="build the Lambda zip")
    package_cmd.add_argument("--out", type=Path, required=True, help="the zip to write")
    package_cmd.add_argument(
        "--no-deps", action="store_true", help="sources only (no pip install of av, m3u8)"
    )
    args = parser.parse_args(argv)
    if args.command == "render":
        try:
            written = write_artifacts(DeployConfig.from_env(), args.out)
        except ValueError as exc:
            parser.error(str(exc))
        for path in written:
            print(path)
    else:
        members = build_package(args.out, with_deps=not args.no_deps)
        print(f"{args.out}: {len(members)} files")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
