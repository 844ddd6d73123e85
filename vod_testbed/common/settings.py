"""Settings of the backends, read from the environment in this one place (docs/ARCHITECTURE.md,
"Configuration"), and the helpers every part's settings use.

Settings are pydantic dataclasses: each field names its environment variable once
(:func:`variable`), values are parsed and checked by pydantic, and
``dataclasses.replace`` still works (and checks again).
"""

from __future__ import annotations

import os
import tempfile
from collections.abc import Mapping
from pathlib import Path
from typing import Annotated, Any, TypeVar

from pydantic import AliasChoices, BeforeValidator, ConfigDict, Field, ValidationError
from pydantic.dataclasses import dataclass

T = TypeVar("T")

# Construction by field name (code, tests) or by variable name (the environment). Inputs
# stay out of error messages: some are secrets.
SETTINGS_CONFIG = ConfigDict(populate_by_name=True, extra="ignore", hide_input_in_errors=True)
# How a failed conversion is worded, by pydantic's error type.
EXPECTED = {
    "int_parsing": "an integer",
    "int_from_float": "an integer",
    "float_parsing": "a number",
    "bool_parsing": "a boolean",
}


def variable(name: str, *fallbacks: str, **field: Any) -> Any:
    """A settings field read from the environment variable ``name`` (else ``fallbacks``, in
    order); ``field`` goes to pydantic's ``Field`` (``default``, ``default_factory`` ...)."""
    return Field(validation_alias=AliasChoices(name, *fallbacks), **field)


def env_int(env: Mapping[str, str], name: str, default: int) -> int:
    """``env[name]`` as an integer; ``default`` when unset or empty; ValueError naming it."""
    raw = env.get(name)
    if raw is None or raw == "":
        return default
    try:
        return int(raw)
    except ValueError:
        raise ValueError(f"{name} must be an integer, got {raw!r}") from None


def env_list(raw: str | None, default: tuple[str, ...] = ()) -> tuple[str, ...]:
    """A comma-separated value as a tuple of its non-empty, stripped items."""
    items = tuple(item.strip() for item in (raw or "").split(",") if item.strip())
    return items or default


def _split_commas(value: Any) -> Any:
    return env_list(value) if isinstance(value, str) else value


# A tuple of strings, given in the environment as a comma-separated list.
CommaList = Annotated[tuple[str, ...], BeforeValidator(_split_commas)]


def variables(settings_type: type[Any]) -> list[str]:
    """Every environment variable a settings type reads, in field order."""
    names: list[str] = []
    for info in settings_type.__pydantic_fields__.values():
        alias = info.validation_alias
        if isinstance(alias, AliasChoices):
            names.extend(str(choice) for choice in alias.choices)
    return names


def read_env(settings_type: type[T], env: Mapping[str, str] | None = None, **fixed: Any) -> T:
    """``settings_type`` from its variables in ``env`` (default ``os.environ``); an empty
    variable counts as unset. ``fixed`` are field values given directly.

    Raises:
        ValueError: a variable's value is refused; the message names it
            ("FFMPEG_MAX_JOBS must be an integer, got 'many'").
    """
    env = os.environ if env is None else env
    given = {name: env[name] for name in variables(settings_type) if env.get(name)}
    try:
        return settings_type(**given, **fixed)
    except ValidationError as exc:
        raise ValueError("; ".join(_describe(error, given) for error in exc.errors())) from None


def _describe(error: Any, given: Mapping[str, str]) -> str:
    name = ".".join(str(part) for part in error["loc"])
    if error["type"] in EXPECTED:
        return f"{name} must be {EXPECTED[error['type']]}, got {given.get(name)!r}"
    if error["type"] == "value_error":
        return str(error["ctx"]["error"])
    return f"{name}: {error['msg']}"


# The services whose endpoint may come from botocore's global variable, with this project's
# alias of each one's own variable.
ENDPOINT_ALIASES = {"S3": "S3_ENDPOINT_URL", "MEDIACONVERT": "MEDIACONVERT_ENDPOINT"}


def with_endpoint_conventions(env: Mapping[str, str]) -> dict[str, str]:
    """``env`` as botocore reads endpoints: ``AWS_ENDPOINT_URL`` serves a service that has
    neither its own ``AWS_ENDPOINT_URL_<SERVICE>`` nor this project's alias of it, and
    ``AWS_IGNORE_CONFIGURED_ENDPOINT_URLS=true`` turns the ``AWS_ENDPOINT_URL*`` variables
    off (the project's own names still count)."""
    resolved = dict(env)
    if resolved.get("AWS_IGNORE_CONFIGURED_ENDPOINT_URLS", "").lower() == "true":
        return {k: v for k, v in resolved.items() if not k.startswith("AWS_ENDPOINT_URL")}
    everything = resolved.get("AWS_ENDPOINT_URL")
    for service, alias in ENDPOINT_ALIASES.items():
        own = f"AWS_ENDPOINT_URL_{service}"
        if everything and not (resolved.get(own) or resolved.get(alias)):
            resolved[own] = everything
    return resolved


@dataclass(frozen=True, config=SETTINGS_CONFIG)
class BackendSettings:
    """Every knob of the backends; each field names its environment variable.

    Attributes:
        transcoder_backend: registry name, ``ffmpeg`` or ``mediaconvert``.
        ffmpeg_binary: an ffmpeg to use instead of the one found.
        x264_preset: libx264 preset of the FFmpeg backend.
        max_concurrent_jobs: jobs the FFmpeg backend runs at once.
        work_dir: scratch space for downloads and encodes.
        s3_endpoint_url: MinIO or other S3; unset means AWS. Found as botocore finds it: the
            service's variable (or this project's alias of it) before the global one.
        aws_region: the AWS region.
        aws_access_key_id, aws_secret_access_key: credentials; unset: boto3's own chain.
        s3_bucket: the media bucket.
        mediaconvert_endpoint, mediaconvert_role_arn, mediaconvert_queue_arn: where and as
            whom the MediaConvert backend submits jobs (the endpoint found as the S3 one is).
        mediaconvert_job_template: the job template jobs name when their settings give
            every member it has (staging's, rendered from the same ladder).
    """

    transcoder_backend: str = variable("TRANSCODER_BACKEND", default="ffmpeg")
    ffmpeg_binary: str | None = variable("FFMPEG_BINARY", default=None)
    x264_preset: str = variable("FFMPEG_PRESET", default="superfast")
    max_concurrent_jobs: int = variable("FFMPEG_MAX_JOBS", default=1)
    work_dir: Path = variable(
        "VOD_WORK_DIR", default_factory=lambda: Path(tempfile.gettempdir()) / "vod-testbed"
    )
    s3_endpoint_url: str | None = variable("AWS_ENDPOINT_URL_S3", "S3_ENDPOINT_URL", default=None)
    aws_region: str = variable("AWS_REGION", "AWS_DEFAULT_REGION", default="us-east-1")
    aws_access_key_id: str | None = variable("AWS_ACCESS_KEY_ID", default=None)
    aws_secret_access_key: str | None = variable("AWS_SECRET_ACCESS_KEY", default=None, repr=False)
    s3_bucket: str = variable("S3_BUCKET", default="vod-testbed")
    mediaconvert_endpoint: str | None = variable(
        "AWS_ENDPOINT_URL_MEDIACONVERT", "MEDIACONVERT_ENDPOINT", default=None
    )
    mediaconvert_role_arn: str = variable(
        "MEDIACONVERT_ROLE_ARN", default="arn:aws:iam::123456789012:role/MediaConvertRole"
    )
    mediaconvert_queue_arn: str | None = variable("MEDIACONVERT_QUEUE_ARN", default=None)
    mediaconvert_job_template: str | None = variable("MEDIACONVERT_JOB_TEMPLATE", default=None)

    @classmethod
    def from_env(cls, env: Mapping[str, str] | None = None) -> BackendSettings:
        """From ``env`` (default ``os.environ``); ValueError naming a refused variable."""
        return read_env(cls, with_endpoint_conventions(os.environ if env is None else env))
