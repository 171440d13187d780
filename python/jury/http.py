# pyright: strict, reportUnnecessaryIsInstance=false
"""One HTTP path for every call: urllib, JSON in and out, errors built by ``error_from_response``."""

from __future__ import annotations

import json
import socket
import urllib.error
import urllib.parse
import urllib.request
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any

from .errors import JuryNetworkError, error_from_response

Query = Mapping[str, "str | int | float | bool | None"]


@dataclass
class Response:
    status: int
    headers: dict[str, str]
    body: bytes

    def json(self) -> Any:
        return json.loads(self.body) if self.body else None

    def text(self) -> str:
        return self.body.decode("utf-8")


def build_url(base_url: str, path: str, query: Query | None = None) -> str:
    pairs = [(k, "true" if v is True else "false" if v is False else str(v)) for k, v in (query or {}).items() if v is not None]
    return f"{base_url}{path}" + (f"?{urllib.parse.urlencode(pairs)}" if pairs else "")


def send(
    method: str,
    url: str,
    *,
    headers: Mapping[str, str] | None = None,
    json_body: Any = None,
    form: Mapping[str, str] | None = None,
    body: bytes | None = None,
    timeout: float = 120.0,
) -> Response:
    """Sends one request; a non-2xx answer raises the typed JuryError, no answer a JuryNetworkError."""
    all_headers = {"accept": "application/json", **(headers or {})}
    data: bytes | None = None
    if json_body is not None:
        all_headers["content-type"] = "application/json"
        data = json.dumps(json_body).encode("utf-8")
    elif form is not None:
        all_headers["content-type"] = "application/x-www-form-urlencoded"
        data = urllib.parse.urlencode(dict(form)).encode("ascii")
    elif body is not None:
        all_headers.setdefault("content-type", "application/octet-stream")
        data = body
    request = urllib.request.Request(url, data=data, method=method.upper(), headers=all_headers)
    try:
        with urllib.request.urlopen(request, timeout=timeout) as res:
            return Response(res.status, {k.lower(): v for k, v in res.headers.items()}, res.read())
    except urllib.error.HTTPError as err:
        text = err.read().decode("utf-8", errors="replace")
        raise error_from_response(err.code, text, {k.lower(): v for k, v in err.headers.items()}) from None
    except (urllib.error.URLError, socket.timeout, ConnectionError, OSError) as err:
        reason = getattr(err, "reason", err)
        parsed = urllib.parse.urlsplit(url)
        hint = (
            " Is the server running? Start it with `jury serve` (or `npm start`), or set JURY_URL."
            if isinstance(reason, ConnectionRefusedError)
            else ""
        )
        raise JuryNetworkError(
            "NETWORK_ERROR", f"Could not reach Jury at {parsed.scheme}://{parsed.netloc} ({reason}).{hint}"
        ) from err


def all_pages(fetch: Callable[[str | None, int], dict[str, Any]]) -> list[dict[str, Any]]:
    """Every page of a list route, in order, following ``nextCursor`` (rows added meanwhile neither repeat nor
    leave a gap)."""
    out: list[dict[str, Any]] = []
    cursor: str | None = None
    while True:
        body = fetch(cursor, 500)
        out += list(body["data"])
        cursor = body.get("nextCursor")
        if cursor is None:
            return out
