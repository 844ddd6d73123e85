"""``python -m vod_testbed.pipeline.deploy render --out DIR`` writes staging's CloudFormation
template (``DIR/template.json``); ``python -m vod_testbed.pipeline.deploy package --out
FILE.zip`` builds the Lambda zip (with the Linux wheels the trigger needs, unless
``--no-deps``). docs/aws-staging.md says how to deploy them.
"""

from __future__ import annotations

import argparse
from collections.abc import Sequence
from pathlib import Path

from vod_testbed.pipeline.deploy.config import DeployConfig
from vod_testbed.pipeline.deploy.lambda_package import build_package
from vod_testbed.pipeline.deploy.template import template_json

TEMPLATE_FILE = "template.json"


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m vod_testbed.pipeline.deploy", description="Staging deployment."
    )
    commands = parser.add_subparsers(dest="command", required=True)
    render_cmd = commands.add_parser("render", help="write the CloudFormation template")
    render_cmd.add_argument("--out", type=Path, required=True, help="output folder")
    package_cmd = commands.add_parser("package", help="build the Lambda zip")
    package_cmd.add_argument("--out", type=Path, required=True, help="the zip to write")
    package_cmd.add_argument(
        "--no-deps", action="store_true", help="sources only (no pip install of av, m3u8)"
    )
    args = parser.parse_args(argv)
    if args.command == "render":
        try:
            text = template_json(DeployConfig.from_env())
        except ValueError as exc:
            parser.error(str(exc))
        args.out.mkdir(parents=True, exist_ok=True)
        path = args.out / TEMPLATE_FILE
        path.write_text(text, encoding="utf-8")
        print(path)
    else:
        members = build_package(args.out, with_deps=not args.no_deps)
        print(f"{args.out}: {len(members)} files")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
