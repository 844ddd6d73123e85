"""IAM policy documents as data: the building blocks :mod:`.template` writes its roles and
policies with (least privilege; each role's grants are listed where the template makes it).
"""

from __future__ import annotations

from typing import Any


def statement(sid: str, actions: list[str], resources: list[Any], **extra: Any) -> dict[str, Any]:
    return {"Sid": sid, "Effect": "Allow", "Action": actions, "Resource": resources, **extra}


def policy(*statements: dict[str, Any]) -> dict[str, Any]:
    return {"Version": "2012-10-17", "Statement": list(statements)}


def trust(service: str, **condition: Any) -> dict[str, Any]:
    """A trust policy letting ``service`` assume the role, under ``condition`` if given."""
    grant: dict[str, Any] = {
        "Effect": "Allow",
        "Principal": {"Service": service},
        "Action": "sts:AssumeRole",
    }
    if condition:
        grant["Condition"] = condition
    return policy(grant)
