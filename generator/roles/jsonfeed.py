"""Reading a JSON feed (Greenhouse, Lever): decoding, and plain words for what is wrong in it."""

from __future__ import annotations

import json
from typing import Any

from .feed import FeedProblem, feed_error


def read_json(data: bytes, source: str, what: str) -> Any:
    """The JSON value in ``data``; FeedProblem (with the line) when it is not JSON."""
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise FeedProblem(
            feed_error(source, 0, f"the {what} is not UTF-8 text (byte {exc.start})", _AGAIN)
        ) from None
    try:
        return json.loads(text)
    except json.JSONDecodeError as exc:
        raise FeedProblem(
            feed_error(
                source,
                exc.lineno,
                f"the {what} is not valid JSON at line {exc.lineno}, column {exc.colno} "
                f"({exc.msg.lower()})",
                _AGAIN,
            )
        ) from None
    except RecursionError:
        raise FeedProblem(
            feed_error(source, 0, f"the {what} nests too deeply to be a job feed", _AGAIN)
        ) from None


_AGAIN = "the download may have been cut short or be an error page; fetch the feed again"


def text_of(item: dict[str, Any], key: str) -> str:
    """``item[key]`` as text: numbers become text, anything else (or nothing) is ""."""
    value = item.get(key)
    if isinstance(value, bool) or value is None:
        return ""
    if isinstance(value, str | int | float):
        return str(value).strip()
    return ""


def mapping_of(item: dict[str, Any], key: str) -> dict[str, Any]:
    """``item[key]`` when it is an object, else an empty one."""
    value = item.get(key)
    return value if isinstance(value, dict) else {}


def list_of(item: dict[str, Any], key: str) -> list[Any]:
    """``item[key]`` when it is a list, else an empty one."""
    value = item.get(key)
    return value if isinstance(value, list) else []
