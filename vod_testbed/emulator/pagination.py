"""``nextToken`` paging for the List operations.

Tokens are opaque to clients (base64 JSON of the last item's sort key), so a page that
follows a deletion or an insertion neither repeats nor skips what was already returned:
paging resumes strictly after the last key served. boto3's paginator stops at a missing
token, which is what the last page sends.
"""

from __future__ import annotations

import base64
import binascii
import json
from collections.abc import Callable, Sequence
from typing import Any, TypeVar

from vod_testbed.emulator.exceptions import BadRequestException

T = TypeVar("T")
DEFAULT_MAX_RESULTS = 20


def encode_token(key: Any) -> str:
    return base64.urlsafe_b64encode(json.dumps(key).encode()).decode()


def decode_token(token: str) -> Any:
    """The sort key inside a token. Raises BadRequestException for a token we did not issue."""
    try:
        return json.loads(base64.urlsafe_b64decode(token.encode()))
    except (binascii.Error, ValueError, UnicodeDecodeError):
        raise BadRequestException(f"Invalid nextToken: {token!r}") from None


def page(
    items: Sequence[T],
    key: Callable[[T], Any],
    *,
    descending: bool,
    token: str | None,
    max_results: int | None,
) -> tuple[list[T], str | None]:
    """One page of ``items`` (already sorted by ``key``, in the requested direction).

    Returns the page and the token of the next one (None on the last page).
    """
    start = 0
    if token:
        last = decode_token(token)
        for start, item in enumerate(items):  # noqa: B007 - start is used after the loop
            current = _comparable(key(item))
            if (current < _comparable(last)) if descending else (current > _comparable(last)):
                break
        else:
            start = len(items)
    limit = max_results or DEFAULT_MAX_RESULTS
    chunk = list(items[start : start + limit])
    more = start + limit < len(items)
    return chunk, (encode_token(key(chunk[-1])) if more and chunk else None)


def _comparable(value: Any) -> Any:
    # JSON turns tuples into lists; compare both as tuples.
    return tuple(value) if isinstance(value, list | tuple) else value
