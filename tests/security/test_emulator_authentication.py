"""No one unauthenticated drives the emulator: every MediaConvert call is SigV4-verified
as AWS verifies it, answered with AWS's own error types, and the admin API takes its own
bearer token. ``EMULATOR_AUTH=off`` accepts any credentials, as moto does."""

from __future__ import annotations

import json
import time
from typing import Any

import pytest
import requests
from botocore.auth import SigV4Auth
from botocore.awsrequest import AWSRequest
from botocore.credentials import Credentials
from botocore.exceptions import ClientError

from tests.support.attacks import mediaconvert
from tests.support.emulator import ACCESS_KEY, ADMIN, REGION, SECRET_KEY


def refusal(call: Any) -> tuple[int, str, str]:
    with pytest.raises(ClientError) as refused:
        call()
    error = refused.value.response
    return (
        error["ResponseMetadata"]["HTTPStatusCode"],
        error["Error"]["Code"],
        error["Error"]["Message"],
    )


@pytest.fixture
def url(make_app: Any, serve: Any) -> str:
    server_url: str = serve(make_app()).url
    return server_url


def test_an_unsigned_call_is_missing_authentication_token(url: str) -> None:
    answer = requests.get(f"{url}/2017-08-29/jobs", timeout=5)
    assert answer.status_code == 403
    assert answer.headers["x-amzn-ErrorType"] == "MissingAuthenticationTokenException"
    assert answer.json() == {"message": "Missing Authentication Token"}


def test_the_right_credentials_are_served(url: str) -> None:
    assert mediaconvert(url).list_jobs()["Jobs"] == []


def test_a_wrong_secret_is_an_invalid_signature(url: str) -> None:
    status, code, message = refusal(mediaconvert(url, secret="guessed").list_jobs)
    assert (status, code) == (403, "InvalidSignatureException")
    assert message.startswith("The request signature we calculated does not match")


def test_an_unknown_access_key_is_an_unrecognized_client(url: str) -> None:
    status, code, message = refusal(mediaconvert(url, key="AKIDSOMEONEELSE").list_jobs)
    assert (status, code) == (403, "UnrecognizedClientException")
    assert message == "The security token included in the request is invalid."


def test_a_signature_for_another_region_is_refused(url: str) -> None:
    status, code, message = refusal(mediaconvert(url, region="eu-west-1").list_jobs)
    assert (status, code) == (403, "InvalidSignatureException")
    assert "scoped to region 'us-east-1'" in message


def test_a_signature_older_than_15_minutes_is_expired(make_app: Any, serve: Any) -> None:
    # The emulator's clock runs 16 minutes ahead: boto3's fresh signature is 16 minutes old.
    server = serve(make_app(clock=lambda: time.time() + 16 * 60))
    status, code, message = refusal(mediaconvert(server.url).list_jobs)
    assert (status, code) == (403, "InvalidSignatureException")
    assert message.startswith("Signature expired:")


def test_a_body_changed_after_signing_is_refused(url: str) -> None:
    body = json.dumps({"name": "tmpl", "settings": {}}).encode()
    signed = AWSRequest(
        method="POST",
        url=f"{url}/2017-08-29/jobTemplates",
        data=body,
        headers={"Content-Type": "application/json"},
    )
    SigV4Auth(Credentials(ACCESS_KEY, SECRET_KEY), "mediaconvert", REGION).add_auth(signed)
    headers = dict(signed.headers.items())
    tampered = body.replace(b"tmpl", b"evil")
    assert signed.url is not None
    answer = requests.post(signed.url, data=tampered, headers=headers, timeout=5)
    assert answer.status_code == 403
    assert answer.headers["x-amzn-ErrorType"] == "InvalidSignatureException"
    assert mediaconvert(url).list_job_templates()["JobTemplates"] == []


def test_a_huge_signature_date_is_an_incomplete_signature(url: str) -> None:
    headers = {
        "Authorization": f"AWS4-HMAC-SHA256 Credential={ACCESS_KEY}/99999999/us-east-1/"
        "mediaconvert/aws4_request, SignedHeaders=host;x-amz-date, Signature=00",
        "X-Amz-Date": "9" * 400 + "T000000Z",
    }
    answer = requests.get(f"{url}/2017-08-29/jobs", headers=headers, timeout=5)
    assert answer.status_code == 400
    assert answer.headers["x-amzn-ErrorType"] == "IncompleteSignatureException"
    assert "X-Amz-Date must be an ISO 8601 basic date" in answer.json()["message"]


@pytest.mark.parametrize(
    "authorization", [None, "Bearer wrong-token", "Basic YWRtaW46YWRtaW4="], ids=str
)
def test_the_admin_api_needs_its_token(url: str, authorization: str | None) -> None:
    headers = {"Authorization": authorization} if authorization else {}
    answer = requests.post(f"{url}/_emulator/reset", headers=headers, timeout=5)
    assert answer.status_code == 401
    assert answer.headers["x-amzn-ErrorType"] == "UnauthorizedException"
    assert answer.headers["WWW-Authenticate"].startswith("Bearer")
    assert requests.post(f"{url}/_emulator/reset", headers=ADMIN, timeout=5).status_code == 200


def test_an_emulator_without_an_admin_token_keeps_its_admin_api_closed(
    make_app: Any, serve: Any
) -> None:
    server = serve(make_app(admin_token=""))
    answer = requests.get(f"{server.url}/_emulator/events", headers=ADMIN, timeout=5)
    assert answer.status_code == 401
    assert "EMULATOR_ADMIN_TOKEN" in answer.json()["message"]
    assert requests.get(f"{server.url}/_emulator/health", timeout=5).status_code == 200


def test_auth_off_accepts_any_credentials_as_moto_does(make_app: Any, serve: Any) -> None:
    server = serve(make_app(auth=False))
    assert mediaconvert(server.url, key="anything", secret="at-all").list_jobs()["Jobs"] == []
    assert requests.get(f"{server.url}/_emulator/events", timeout=5).status_code == 200
