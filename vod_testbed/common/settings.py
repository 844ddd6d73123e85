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


def variable(
    name: str, *fallbacks: str, description: str, shown_default: str | None = None, **field: Any
) -> Any:
    """A settings field read from the environment variable ``name`` (else ``fallbacks``, in
    order). ``description`` is the variable's meaning, written only here: the configuration
    page is generated from it (``vod-testbed config-reference``); ``shown_default`` is the
    page's wording of a default computed at run time. ``field`` goes to pydantic's ``Field``
    (``default``, ``default_factory`` ...)."""
    extra: dict[str, Any] | None = {"shown_default": shown_default} if shown_default else None
    return Field(
        validation_alias=AliasChoices(name, *fallbacks),
        description=description,
        json_schema_extra=extra,
        **field,
    )


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

# The words every switch accepts, in any case; the same word means the same thing for every
# variable (docs/configuration.md).
TRUE_WORDS = frozenset({"on", "true", "yes", "1"})
FALSE_WORDS = frozenset({"off", "false", "no", "0"})


def parse_switch(value: Any) -> Any:
    """A switch's word as a bool; ValueError for any other word (a typo must not leave a
    check on or off by surprise)."""
    if not isinstance(value, str):
        return value
    word = value.strip().lower()
    if word in TRUE_WORDS or word in FALSE_WORDS:
        return word in TRUE_WORDS
    choices = "/".join(sorted(TRUE_WORDS)) + " or " + "/".join(sorted(FALSE_WORDS))
    raise ValueError(f"must be one of {choices}, got {value!r}")


# A boolean given in the environment as one of the switch words.
Switch = Annotated[bool, BeforeValidator(parse_switch)]


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
        reason = str(error["ctx"]["error"])
        return f"{name} {reason}" if reason.startswith("must be one of") else reason
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
    """Every knob of the backends: each field names its environment variable once, and its
    description is the variable's meaning (the configuration page is generated from them).
    """

    transcoder_backend: str = variable(
        "TRANSCODER_BACKEND",
        description="`ffmpeg` (in-process) or `mediaconvert` (boto3)",
        default="ffmpeg",
    )
    ffmpeg_binary: str | None = variable(
        "FFMPEG_BINARY", description="an ffmpeg to use instead of the one found", default=None
    )
    x264_preset: str = variable(
        "FFMPEG_PRESET", description="libx264 preset of the FFmpeg backend", default="superfast"
    )
    max_concurrent_jobs: int = variable(
        "FFMPEG_MAX_JOBS", description="jobs the FFmpeg backend runs at once", default=1
    )
    work_dir: Path = variable(
        "VOD_WORK_DIR",
        description="scratch space for downloads and encodes",
        shown_default="`$TMPDIR/vod-testbed` (`vod-testbed dev`: `<data dir>/work`)",
        default_factory=lambda: Path(tempfile.gettempdir()) / "vod-testbed",
    )
    s3_endpoint_url: str | None = variable(
        "AWS_ENDPOINT_URL_S3",
        "S3_ENDPOINT_URL",
        description="MinIO or other S3; unset: AWS, or the embedded server in dev and tests",
        default=None,
    )
    aws_region: str = variable(
        "AWS_REGION",
        "AWS_DEFAULT_REGION",
        description="region of S3 and MediaConvert",
        default="us-east-1",
    )
    aws_access_key_id: str | None = variable(
        "AWS_ACCESS_KEY_ID",
        description="the usual AWS meanings",
        shown_default="— (boto3's chain; the stack's embedded S3 takes only its own keys)",
        default=None,
    )
    aws_secret_access_key: str | None = variable(
        "AWS_SECRET_ACCESS_KEY",
        description=("the usual AWS meaning (the access key's secret)"),
        shown_default="— (boto3's chain; the stack's embedded S3 takes only its own keys)",
        default=None,
        repr=False,
    )
    s3_bucket: str = variable("S3_BUCKET", description="the media bucket", default="vod-testbed")
    mediaconvert_endpoint: str | None = variable(
        "AWS_ENDPOINT_URL_MEDIACONVERT",
        "MEDIACONVERT_ENDPOINT",
        description="the MediaConvert endpoint (the emulator locally, AWS in staging)",
        default=None,
    )
    mediaconvert_role_arn: str = variable(
        "MEDIACONVERT_ROLE_ARN",
        description="role passed to CreateJob",
        default="arn:aws:iam::123456789012:role/MediaConvertRole",
    )
    mediaconvert_queue_arn: str | None = variable(
        "MEDIACONVERT_QUEUE_ARN",
        description="queue passed to CreateJob",
        shown_default="— (the account's Default queue)",
        default=None,
    )
    mediaconvert_job_template: str | None = variable(
        "MEDIACONVERT_JOB_TEMPLATE",
        description=(
            "job template a job names when its settings cover it (staging's ladder template)"
        ),
        default=None,
    )

    @classmethod
    def from_env(cls, env: Mapping[str, str] | None = None) -> BackendSettings:
        """From ``env`` (default ``os.environ``); ValueError naming a refused variable."""
        return read_env(cls, with_endpoint_conventions(os.environ if env is None else env))


@dataclass(frozen=True, config=SETTINGS_CONFIG)
class ClientSettings:
    """What the command-line clients send: each field names its environment variable once,
    and its description is the variable's meaning."""

    token: str | None = variable(
        "VOD_TOKEN",
        description="bearer token `vod-testbed upload` sends (`vod-testbed dev` prints one)",
        default=None,
        repr=False,
    )

    @classmethod
    def from_env(cls, env: Mapping[str, str] | None = None) -> ClientSettings:
        """From ``env`` (default ``os.environ``); ValueError naming a refused variable."""
        return read_env(cls, env)
