"""The settings tree's machinery, and the backends' settings: the one module that reads the
environment (docs/ARCHITECTURE.md, "Configuration").

Every part declares its settings as a :class:`Settings` (pydantic-settings): each field
names its environment variable once (:func:`variable`) with its type, default, bounds and
meaning; a part that holds another part's settings nests them as a field, and the stack
composes the parts into one tree (``stack/settings.py``). The environment is read only by
:meth:`Settings.from_env`, once per tree; constructing a settings object reads nothing.
"""

from __future__ import annotations

import logging
import os
import tempfile
import urllib.parse
from collections.abc import Mapping
from pathlib import Path
from typing import Annotated, Any, Self

from pydantic import AliasChoices, BeforeValidator, Field, ValidationError, model_validator
from pydantic.fields import FieldInfo
from pydantic_settings import (
    BaseSettings,
    EnvSettingsSource,
    NoDecode,
    PydanticBaseSettingsSource,
    SettingsConfigDict,
)
from pydantic_settings.sources.utils import parse_env_vars

log = logging.getLogger(__name__)

# How a failed conversion is worded, by pydantic's error type.
EXPECTED = {
    "int_parsing": "an integer",
    "int_from_float": "an integer",
    "float_parsing": "a number",
    "bool_parsing": "a boolean",
}


def variable(
    name: str,
    *fallbacks: str,
    description: str,
    shown_default: str | None = None,
    deprecated: tuple[str, ...] = (),
    **field: Any,
) -> Any:
    """A settings field read from the environment variable ``name`` (else ``fallbacks``, in
    order; else the ``deprecated`` former names, with a warning). ``description`` is the
    variable's meaning, written only here: the configuration page is generated from it
    (``vod-testbed config-reference``); ``shown_default`` is the page's wording of a default
    computed at run time. ``field`` goes to pydantic's ``Field`` (``default``,
    ``default_factory``, bounds such as ``ge``/``le`` ...)."""
    extra: dict[str, Any] = {}
    if shown_default:
        extra["shown_default"] = shown_default
    if deprecated:
        extra["deprecated_names"] = list(deprecated)
    return Field(
        validation_alias=AliasChoices(name, *fallbacks, *deprecated),
        description=description,
        json_schema_extra=extra or None,
        **field,
    )


def environment() -> Mapping[str, str]:
    """The process's environment: the only read of ``os.environ`` in the project."""
    return os.environ


def env_list(raw: str | None, default: tuple[str, ...] = ()) -> tuple[str, ...]:
    """A comma-separated value as a tuple of its non-empty, stripped items."""
    items = tuple(item.strip() for item in (raw or "").split(",") if item.strip())
    return items or default


def _split_commas(value: Any) -> Any:
    return env_list(value) if isinstance(value, str) else value


# A tuple of strings, given in the environment as a comma-separated list (not JSON).
CommaList = Annotated[tuple[str, ...], NoDecode, BeforeValidator(_split_commas)]

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


# Variables more than one part reads, declared once here; a part's field takes the type and
# the default (``webhook_secret: WebhookSecret = ""``).
WebhookSecret = Annotated[
    str,
    variable(
        "WEBHOOK_SECRET",
        description=(
            "authenticates webhook deliveries both ways (the emulator signs, the pipeline checks)"
        ),
        shown_default="`vod-testbed dev`: random per run",
        repr=False,
    ),
]
DEFAULT_REGION = "us-east-1"
AwsRegion = Annotated[
    str,
    variable("AWS_REGION", "AWS_DEFAULT_REGION", description="region of S3 and MediaConvert"),
]


class _MappingSource(EnvSettingsSource):
    """pydantic-settings' environment source over a given mapping instead of ``os.environ``
    (tests and the stack pass one; nothing is written back)."""

    def __init__(self, settings_cls: type[BaseSettings], env: Mapping[str, str]) -> None:
        self._env = env
        super().__init__(settings_cls)

    def _load_env_vars(self) -> Mapping[str, str | None]:
        return parse_env_vars(
            self._env, self.case_sensitive, self.env_ignore_empty, self.env_parse_none_str
        )


class Settings(BaseSettings):
    """The base of every part's settings: frozen, built by field name (code, tests) or from
    the environment by :meth:`from_env`. Inputs stay out of error messages: some are secrets.
    """

    model_config = SettingsConfigDict(
        frozen=True,
        validate_by_name=True,
        extra="ignore",
        hide_input_in_errors=True,
        case_sensitive=True,
        env_ignore_empty=True,
        # No setting means NaN or infinity: every comparison with NaN is false, so a NaN
        # duration would silently switch off what it times.
        allow_inf_nan=False,
    )

    @classmethod
    def settings_customise_sources(
        cls,
        settings_cls: type[BaseSettings],
        init_settings: PydanticBaseSettingsSource,
        env_settings: PydanticBaseSettingsSource,
        dotenv_settings: PydanticBaseSettingsSource,
        file_secret_settings: PydanticBaseSettingsSource,
    ) -> tuple[PydanticBaseSettingsSource, ...]:
        # Constructing reads nothing: the environment is read by from_env, once per tree.
        return (init_settings,)

    @classmethod
    def from_env(cls, env: Mapping[str, str] | None = None, **fixed: Any) -> Self:
        """From ``env`` (default: the process's environment); an empty variable counts as
        unset; a field that is itself a part's settings is read from the same ``env``;
        ``fixed`` are field values given directly.

        Raises:
            ValueError: a variable's value is refused; the message names it
                ("FFMPEG_MAX_JOBS must be an integer, got 'many'").
        """
        env = environment() if env is None else env
        given = {k: v for k, v in _MappingSource(cls, env)().items() if k in variables(cls)}
        _warn_deprecated(cls, env)
        parts = {
            name: part.from_env(env) for name, part in branches(cls).items() if name not in fixed
        }
        try:
            return cls(**given, **parts, **fixed)
        except ValidationError as exc:
            raise ValueError("; ".join(_describe(error, given) for error in exc.errors())) from None

    @model_validator(mode="after")
    def _rules(self) -> Self:
        # A part's rules across its fields live in __post_init__, as on a dataclass: run
        # after every construction, from_env and replace alike.
        self.__post_init__()
        return self

    def __post_init__(self) -> None:
        """Check the rules that span fields; raise ValueError naming the variable."""

    def shown(self) -> dict[str, Any]:
        """The tree as JSON-ready values, each secret (a field left out of the repr) masked
        when set."""
        values: dict[str, Any] = {}
        for name, info in type(self).model_fields.items():
            value = getattr(self, name)
            if isinstance(value, Settings):
                values[name] = value.shown()
            elif not info.repr:
                values[name] = "***" if value else value
            else:
                values[name] = _jsonable(value)
        return values

    def replace(self, **changes: Any) -> Self:
        """A copy with ``changes``, checked again (``dataclasses.replace`` for settings)."""
        values = {name: getattr(self, name) for name in type(self).model_fields}
        try:
            return type(self)(**{**values, **changes})
        except ValidationError as exc:
            raise ValueError("; ".join(_describe(error, {}) for error in exc.errors())) from None


def _jsonable(value: Any) -> Any:
    if isinstance(value, Path):
        return str(value)
    if isinstance(value, tuple):
        return list(value)
    if isinstance(value, str) and "://" in value:
        return _without_password(value)
    return value


def _without_password(url: str) -> str:
    """``url`` with the password of its user part masked (``DATABASE_URL`` may carry one)."""
    parts = urllib.parse.urlsplit(url)
    if not parts.password:
        return url
    user, _, host = parts.netloc.rpartition("@")
    name = user.split(":", 1)[0]
    return urllib.parse.urlunsplit(parts._replace(netloc=f"{name}:***@{host}"))


def branches(settings_type: type[Settings]) -> dict[str, type[Settings]]:
    """The fields of ``settings_type`` that hold another part's settings, by name."""
    return {
        name: info.annotation
        for name, info in settings_type.model_fields.items()
        if isinstance(info.annotation, type) and issubclass(info.annotation, Settings)
    }


def variables(settings_type: type[Settings]) -> list[str]:
    """Every environment variable a settings type reads itself, in field order."""
    names: list[str] = []
    for info in settings_type.model_fields.values():
        names.extend(variable_names(info))
    return names


def variable_names(info: FieldInfo) -> list[str]:
    """The variables a field is read from, first the one it is documented under."""
    alias = info.validation_alias
    return [str(choice) for choice in alias.choices] if isinstance(alias, AliasChoices) else []


def deprecated_names(info: FieldInfo) -> list[str]:
    extra = info.json_schema_extra
    return list(extra.get("deprecated_names", [])) if isinstance(extra, dict) else []  # type: ignore[arg-type]


def _warn_deprecated(settings_type: type[Settings], env: Mapping[str, str]) -> None:
    for info in settings_type.model_fields.values():
        current = variable_names(info)[0] if variable_names(info) else None
        for old in deprecated_names(info):
            if env.get(old):
                log.warning("%s is deprecated: set %s instead", old, current)


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
    off (the project's own names still count; any switch word, as for every switch)."""
    resolved = dict(env)
    ignore = "AWS_IGNORE_CONFIGURED_ENDPOINT_URLS"
    try:
        ignored = parse_switch(resolved.get(ignore) or "off")
    except ValueError as exc:
        raise ValueError(f"{ignore} {exc}") from None
    if ignored:
        return {k: v for k, v in resolved.items() if not k.startswith("AWS_ENDPOINT_URL")}
    everything = resolved.get("AWS_ENDPOINT_URL")
    for service, alias in ENDPOINT_ALIASES.items():
        own = f"AWS_ENDPOINT_URL_{service}"
        if everything and not (resolved.get(own) or resolved.get(alias)):
            resolved[own] = everything
    return resolved


class BackendSettings(Settings):
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
    caption_max_cues: int = variable(
        "CAPTION_MAX_CUES",
        description=(
            "most cues a caption file may hold; a file with more ends its job in ERROR 1010 "
            "before it is parsed (a lecture of several hours has a few thousand)"
        ),
        default=20_000,
        ge=1,
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
    aws_region: AwsRegion = DEFAULT_REGION
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
    def from_env(cls, env: Mapping[str, str] | None = None, **fixed: Any) -> Self:
        """From ``env`` (default: the process's), with botocore's endpoint conventions."""
        env = environment() if env is None else env
        return super().from_env(with_endpoint_conventions(env), **fixed)


class ServerSettings(Settings):
    """What every server of the project shares: each field names its environment variable
    once, and its description is the variable's meaning."""

    allowed_hosts: CommaList = variable(
        "VOD_ALLOWED_HOSTS",
        description=(
            "more host names every server answers to, besides `127.0.0.1`, `localhost`, `::1`"
            " (comma-separated; `testbed` in docker compose)"
        ),
        default=(),
    )


class ClientSettings(Settings):
    """What the command-line clients send: each field names its environment variable once,
    and its description is the variable's meaning."""

    token: str | None = variable(
        "VOD_TOKEN",
        description="bearer token `vod-testbed upload` sends (`vod-testbed dev` prints one)",
        default=None,
        repr=False,
    )
