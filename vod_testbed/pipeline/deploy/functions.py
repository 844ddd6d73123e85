"""CloudFormation's intrinsic functions as data, and the names the template's parts derive
from the configuration (the bucket's ARN, the CDN's host)."""

from __future__ import annotations

from urllib.parse import urlsplit

from vod_testbed.pipeline.deploy.config import DeployConfig


def sub(text: str) -> dict[str, str]:
    return {"Fn::Sub": text}


def ref(name: str) -> dict[str, str]:
    return {"Ref": name}


def arn(resource: str) -> dict[str, list[str]]:
    return {"Fn::GetAtt": [resource, "Arn"]}


def bucket_arn(config: DeployConfig, path: str = "") -> dict[str, str]:
    """The media bucket's ARN (``path``: of objects in it), from its name: the bucket waits
    for the trigger's invoke permission, so nothing the trigger needs may wait for it."""
    return sub(f"arn:${{AWS::Partition}}:s3:::{config.bucket}{path}")


def playback_host(config: DeployConfig) -> str | None:
    """The CDN's host name, or None without ``PLAYBACK_BASE_URL``."""
    base = config.pipeline.playback_base_url
    return (urlsplit(base).hostname or None) if base else None


def custom_host(config: DeployConfig) -> str | None:
    """The CDN host when it is the team's own domain (not ``*.cloudfront.net``): it goes into
    the distribution's aliases, which CloudFront accepts only with a certificate covering it."""
    host = playback_host(config)
    return host if host and not host.endswith(".cloudfront.net") else None
