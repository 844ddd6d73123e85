"""Staging artifacts rendered from the configuration, and the Lambda package."""

from __future__ import annotations

import json
import subprocess
import sys
import zipfile
from pathlib import Path
from typing import Any

import pytest

from vod_testbed.pipeline.deploy.__main__ import main
from vod_testbed.pipeline.deploy.artifacts import DeployConfig, render
from vod_testbed.pipeline.deploy.lambda_package import SOURCE_ROOT

ENV = {
    "AWS_ACCOUNT_ID": "210987654321",
    "AWS_REGION": "eu-west-1",
    "S3_BUCKET": "media-staging",
    "MEDIACONVERT_ROLE_ARN": "arn:aws:iam::210987654321:role/MediaConvertStaging",
    "MEDIACONVERT_QUEUE_ARN": "arn:aws:mediaconvert:eu-west-1:210987654321:queues/Default",
    "PIPELINE_WEBHOOK_URL": "https://staging.example.com",
    "WEBHOOK_SECRET": "do-not-write-me",
}


@pytest.fixture
def artifacts() -> dict[str, Any]:
    return render(DeployConfig.from_env(ENV))


def statements(policy: dict[str, Any]) -> dict[str, dict[str, Any]]:
    return {s["Sid"]: s for s in policy["Statement"]}


def test_lambda_policy_grants_only_what_the_trigger_does(artifacts: dict[str, Any]) -> None:
    granted = statements(artifacts["iam/lambda-policy.json"])
    assert granted["ReadUploads"]["Action"] == ["s3:GetObject"]
    assert granted["ReadUploads"]["Resource"] == ["arn:aws:s3:::media-staging/video/*"]
    assert granted["CreateTranscodingJobs"]["Action"] == ["mediaconvert:CreateJob"]
    assert granted["CreateTranscodingJobs"]["Resource"] == [ENV["MEDIACONVERT_QUEUE_ARN"]]
    assert granted["PassMediaConvertRole"]["Resource"] == [ENV["MEDIACONVERT_ROLE_ARN"]]


def test_mediaconvert_role_reads_and_writes_the_bucket(artifacts: dict[str, Any]) -> None:
    (statement,) = artifacts["iam/mediaconvert-policy.json"]["Statement"]
    assert statement["Action"] == ["s3:GetObject", "s3:PutObject"]
    assert statement["Resource"] == ["arn:aws:s3:::media-staging/*"]


def test_s3_notifies_the_lambda_of_uploads_under_video(artifacts: dict[str, Any]) -> None:
    (config,) = artifacts["s3/notification.json"]["LambdaFunctionConfigurations"]
    assert config["Events"] == ["s3:ObjectCreated:*"]
    assert config["Filter"]["Key"]["FilterRules"] == [{"Name": "prefix", "Value": "video/"}]
    assert config["LambdaFunctionArn"].endswith(":function:vod-testbed-upload-trigger")


def test_eventbridge_sends_mediaconvert_events_to_the_webhook(artifacts: dict[str, Any]) -> None:
    pattern = json.loads(artifacts["eventbridge/rule.json"]["EventPattern"])
    assert pattern == {
        "source": ["aws.mediaconvert"],
        "detail-type": ["MediaConvert Job State Change"],
    }
    destination = artifacts["eventbridge/api-destination.json"]
    assert destination["InvocationEndpoint"] == "https://staging.example.com/webhooks/mediaconvert"
    key = artifacts["eventbridge/connection.json"]["AuthParameters"]["ApiKeyAuthParameters"]
    assert key["ApiKeyName"] == "X-Vod-Webhook-Secret"


def test_the_secret_is_never_rendered(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    for name, value in ENV.items():
        monkeypatch.setenv(name, value)
    assert main(["render", "--out", str(tmp_path)]) == 0
    written = list(tmp_path.rglob("*.json"))
    assert len(written) >= 10
    assert all(ENV["WEBHOOK_SECRET"] not in path.read_text() for path in written)
    function = json.loads((tmp_path / "lambda/function.json").read_text())
    assert function["Handler"] == "vod_testbed.pipeline.trigger.handler.handler"
    assert function["Environment"]["Variables"]["TRANSCODER_BACKEND"] == "mediaconvert"


def _lambda_zip(tmp_path: Path) -> list[str]:
    out = tmp_path / "lambda.zip"
    assert main(["package", "--out", str(out), "--no-deps"]) == 0
    return zipfile.ZipFile(out).namelist()


def _modules_the_handler_imports() -> list[str]:
    """Source files of every vod_testbed module a fresh interpreter loads to run the handler
    with the MediaConvert backend (the Lambda's configuration)."""
    code = (
        "import sys, vod_testbed.pipeline.trigger.handler, "
        "vod_testbed.backends.mediaconvert.backend;"
        "print('\\n'.join(m.__file__ for n, m in sys.modules.items() "
        "if n.split('.')[0] == 'vod_testbed'))"
    )
    result = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True
    )
    return [Path(f).relative_to(SOURCE_ROOT).as_posix() for f in result.stdout.split()]


def test_the_lambda_zip_holds_every_module_the_handler_imports(tmp_path: Path) -> None:
    names = _lambda_zip(tmp_path)
    imported = _modules_the_handler_imports()
    assert "vod_testbed/pipeline/trigger/handler.py" in imported
    assert [m for m in imported if m not in names] == []


def test_the_lambda_zip_holds_no_http_database_deployment_emulator_or_cli(
    tmp_path: Path,
) -> None:
    names = _lambda_zip(tmp_path)
    assert [
        n
        for n in names
        if n.startswith(
            (
                "vod_testbed/pipeline/http/",
                "vod_testbed/pipeline/deploy/",
                "vod_testbed/pipeline/content_service.py",
                "vod_testbed/pipeline/db.py",
                "vod_testbed/emulator/",
                "vod_testbed/cli/",
                "vod_testbed/hls/",
                "tests/",
            )
        )
        or "__pycache__" in n
    ] == []
