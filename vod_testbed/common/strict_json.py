"""Reading JSON from a request body: hostile bytes become a ValueError, never a crash.

Python's ``json`` accepts ``NaN``, ``Infinity`` and ``1e999`` (not JSON numbers;
``int(float("inf"))`` then raises OverflowError far from the parser), strings holding lone
surrogates (``"\ud800"``: valid JSON, but no UTF-8 encoder takes them), and recurses once per
nesting level, so a body of a hundred thousand ``[`` raises RecursionError - and a body
nested just under the limit crashes whatever walks it next. Here all are refused at the door.
"""

from __future__ import annotations

import json
from typing import Any

MAX_DEPTH = 64


def _refuse_constant(name: str) -> Any:
    raise ValueError(f"{name} is not a JSON number")


def _finite(text: str) -> float:
    value = float(text)
    if value in (float("inf"), float("-inf")):
        raise ValueError(f"{text} is too large for a number")
    return value


def _check_tree(value: Any, max_depth: int) -> None:
    """Refuse nesting deeper than ``max_depth`` and strings UTF-8 cannot encode."""
    stack = [(value, 1)]
    while stack:
        item, depth = stack.pop()
        if isinstance(item, str):
            try:
                item.encode("utf-8")
            except UnicodeEncodeError:
                raise ValueError("a string holds a lone surrogate (not UTF-8 text)") from None
        elif isinstance(item, dict | list):
            if depth > max_depth:
                raise ValueError(f"JSON nested more than {max_depth} levels deep")
            children = [*item.keys(), *item.values()] if isinstance(item, dict) else item
            stack.extend((child, depth + 1) for child in children)


def loads(data: bytes | str, max_depth: int = MAX_DEPTH) -> Any:
    """Parse ``data`` as JSON.

    Raises:
        ValueError: not UTF-8 JSON, a non-finite number, a lone surrogate, or objects and
            arrays nested more than ``max_depth`` deep; the message says which.
    """
    try:
        value = json.loads(data, parse_constant=_refuse_constant, parse_float=_finite)
    except RecursionError:
        raise ValueError(f"JSON nested more than {max_depth} levels deep") from None
    except UnicodeDecodeError:
        raise ValueError("the body is not UTF-8") from None
    except json.JSONDecodeError as exc:
        raise ValueError(f"{exc.msg} at character {exc.pos}") from None
    _check_tree(value, max_depth)
    return value
