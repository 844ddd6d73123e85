"""Endpoints are found the way botocore finds them, with the project's names as aliases."""

from __future__ import annotations

import pytest

from vod_testbed.common.settings import BackendSettings

S3 = "http://s3.example:9000"
MC = "http://mediaconvert.example:8888"
GLOBAL = "http://everything.example:4566"


@pytest.mark.parametrize("name", ["AWS_ENDPOINT_URL_S3", "S3_ENDPOINT_URL"])
def test_the_s3_endpoint_comes_from_either_name(name):
    assert BackendSettings.from_env({name: S3}).s3_endpoint_url == S3


@pytest.mark.parametrize("name", ["AWS_ENDPOINT_URL_MEDIACONVERT", "MEDIACONVERT_ENDPOINT"])
def test_the_mediaconvert_endpoint_comes_from_either_name(name):
    assert BackendSettings.from_env({name: MC}).mediaconvert_endpoint == MC


def test_the_global_endpoint_serves_every_service_without_its_own():
    settings = BackendSettings.from_env({"AWS_ENDPOINT_URL": GLOBAL})
    assert (settings.s3_endpoint_url, settings.mediaconvert_endpoint) == (GLOBAL, GLOBAL)


@pytest.mark.parametrize("name", ["AWS_ENDPOINT_URL_S3", "S3_ENDPOINT_URL"])
def test_a_service_endpoint_beats_the_global_one(name):
    settings = BackendSettings.from_env({"AWS_ENDPOINT_URL": GLOBAL, name: S3})
    assert (settings.s3_endpoint_url, settings.mediaconvert_endpoint) == (S3, GLOBAL)


def test_ignoring_configured_endpoints_keeps_only_the_project_names():
    settings = BackendSettings.from_env(
        {
            "AWS_IGNORE_CONFIGURED_ENDPOINT_URLS": "true",
            "AWS_ENDPOINT_URL": GLOBAL,
            "AWS_ENDPOINT_URL_MEDIACONVERT": MC,
            "S3_ENDPOINT_URL": S3,
        }
    )
    assert (settings.s3_endpoint_url, settings.mediaconvert_endpoint) == (S3, None)


def test_no_endpoint_variable_means_aws():
    settings = BackendSettings.from_env({})
    assert (settings.s3_endpoint_url, settings.mediaconvert_endpoint) == (None, None)


def test_the_secret_key_never_shows_in_the_settings_repr():
    settings = BackendSettings.from_env(
        {"AWS_ACCESS_KEY_ID": "AKIAEXAMPLE", "AWS_SECRET_ACCESS_KEY": "s3cr3t-value"}
    )
    assert settings.aws_secret_access_key == "s3cr3t-value"
    assert "s3cr3t-value" not in repr(settings)


@pytest.mark.parametrize("word", ["true", "TRUE", "on", "1"])
def test_ignoring_the_aws_endpoints_takes_any_switch_word(word):
    env = {"AWS_ENDPOINT_URL": GLOBAL, "AWS_IGNORE_CONFIGURED_ENDPOINT_URLS": word}
    assert BackendSettings.from_env(env).s3_endpoint_url is None


def test_a_word_that_is_no_switch_is_refused_naming_the_variable():
    env = {"AWS_IGNORE_CONFIGURED_ENDPOINT_URLS": "please"}
    with pytest.raises(ValueError, match=r"^AWS_IGNORE_CONFIGURED_ENDPOINT_URLS must be one of"):
        BackendSettings.from_env(env)
