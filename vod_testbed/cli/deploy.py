"""``vod-testbed deploy render --out DIR`` writes staging's CloudFormation template
(``DIR/template.json``); ``vod-testbed deploy package --out FILE.zip`` builds the upload
trigger's Lambda zip (with the Linux wheels it needs, unless ``--no-deps``).
docs/aws-staging.md says how to deploy them."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import Any

TEMPLATE_FILE = "template.json"


def register(subparsers: Any) -> None:
    parser = subparsers.add_parser(
        "deploy", help="render staging's CloudFormation template or build the Lambda zip"
    )
    commands = parser.add_subparsers(dest="deploy_command", required=True, metavar="WHAT")
    render_cmd = commands.add_parser("render", help="write the CloudFormation template")
    render_cmd.add_argument("--out", type=Path, required=True, help="output folder")
    render_cmd.set_defaults(func=render)
    package_cmd = commands.add_parser("package", help="build the Lambda zip")
    package_cmd.add_argument("--out", type=Path, required=True, help="the zip to write")
    package_cmd.add_argument(
        "--no-deps", action="store_true", help="sources only (no pip install of av, m3u8)"
    )
    package_cmd.set_defaults(func=package)


def render(args: argparse.Namespace) -> int:
    from vod_testbed.pipeline.deploy.config import DeployConfig
    from vod_testbed.pipeline.deploy.template import template_json

    try:
        text = template_json(DeployConfig.from_env())
    except ValueError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    args.out.mkdir(parents=True, exist_ok=True)
    path = args.out / TEMPLATE_FILE
    path.write_text(text, encoding="utf-8")
    print(path)
    return 0


def package(args: argparse.Namespace) -> int:
    from vod_testbed.pipeline.deploy.lambda_package import build_package

    members = build_package(args.out, with_deps=not args.no_deps)
    print(f"{args.out}: {len(members)} files")
    return 0
