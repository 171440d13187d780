# pyright: strict, reportUnnecessaryIsInstance=false
"""The credentials file the TypeScript SDK and `jury serve` write: ``~/.config/jury/credentials.json``,
``{"clients": [{displayName, clientId, clientSecret, endpoint, createdAt, lastUsed}]}``."""

from __future__ import annotations

import json
import os
import re
import secrets
from dataclasses import dataclass
from datetime import datetime, timezone
from pathlib import Path
from typing import Any, cast
from urllib.parse import urlsplit

from .errors import JuryValidationError, as_object


@dataclass
class CredentialEntry:
    """One saved client."""

    display_name: str
    client_id: str
    client_secret: str
    endpoint: str
    created_at: str
    last_used: str | None


def credentials_path() -> Path:
    """``~/.config/jury/credentials.json`` from the home directory at call time."""
    return Path(os.path.expanduser("~")) / ".config" / "jury" / "credentials.json"


_HAS_SCHEME = re.compile(r"^[a-z][a-z0-9+.-]*://", re.IGNORECASE)
# The API's own paths, as `jury serve` prints them ("API  http://localhost:8787/api/v1"): the server is above.
_API_SUFFIX = re.compile(r"/api(?:/v1)?$")


def _is_local_host(host: str) -> bool:
    h = host.lower()
    return (
        h == "localhost"
        or h.endswith(".localhost")
        or re.fullmatch(r"127(?:\.\d{1,3}){3}", h) is not None
        or h in ("[::1]", "0.0.0.0")
    )


def _bad_url(message: str, source: str) -> JuryValidationError:
    return JuryValidationError("VALIDATION_FAILED", message, details={"issues": [{"path": source, "message": message}]})


def parse_server_url(raw: str, source: str = "url") -> str:
    """A server URL in the form credentials are keyed by (``http(s)://host[:port][/prefix]``, no trailing slash),
    like the TypeScript SDK's ``parseServerUrl``: a local address without scheme gets ``http://``, ``…/api/v1``
    means the server above it; anything else that is no http(s) URL raises ``JuryValidationError``."""
    given = raw.strip()
    text = given
    if not _HAS_SCHEME.match(text):
        host = text[: text.index("]") + 1] if text.startswith("[") and "]" in text else re.split(r"[/:?#]", text)[0]
        if not _is_local_host(host):
            raise _bad_url(
                f"{source}={given} has no scheme: set {source}=https://{given} (or http://{given}), "
                "the address `jury serve` prints.",
                source,
            )
        text = f"http://{text}"
    try:
        url = urlsplit(text)
        port = url.port  # raises on a bad port
    except ValueError:
        raise _bad_url(f"{source}={given} is not a URL: set it to the server's address, e.g. "
                       f"{source}=http://localhost:8787.", source) from None
    if url.scheme.lower() not in ("http", "https") or not url.hostname:
        raise _bad_url(f"{source}={given} is not an http(s) URL: set it to the server's address, e.g. "
                       f"{source}=http://localhost:8787.", source)
    if url.query or url.fragment or url.username or url.password:
        raise _bad_url(f"{source}={given} has a query, fragment or user name: set it to the server's address "
                       "only.", source)
    scheme = url.scheme.lower()
    host = url.hostname.lower()
    if ":" in host:
        host = f"[{host}]"
    default_port = 80 if scheme == "http" else 443
    origin = f"{scheme}://{host}" + (f":{port}" if port is not None and port != default_port else "")
    path = _API_SUFFIX.sub("", re.sub(r"/+$", "", url.path))
    return origin + path


def normalize_endpoint(url: str) -> str:
    """``parse_server_url``, or the string without trailing slashes when it is no server URL."""
    try:
        return parse_server_url(url)
    except JuryValidationError:
        return re.sub(r"/+$", "", url)


def read_credentials(path: Path | str | None = None) -> list[CredentialEntry]:
    """The saved clients; a missing file reads as none, malformed entries are skipped."""
    file = Path(path) if path is not None else credentials_path()
    try:
        text = file.read_text(encoding="utf-8")
    except FileNotFoundError:
        return []
    try:
        data = as_object(json.loads(text))
    except ValueError:
        raise ValueError(f"The credentials file {file} is not valid JSON; fix or delete it.") from None
    clients: Any = data.get("clients") if data is not None else None
    if not isinstance(clients, list):
        return []
    out: list[CredentialEntry] = []
    for raw in cast("list[Any]", clients):
        e = as_object(raw)
        if e is None or not all(isinstance(e.get(k), str) for k in ("clientId", "clientSecret", "endpoint")):
            continue
        out.append(
            CredentialEntry(
                display_name=e["displayName"] if isinstance(e.get("displayName"), str) else e["clientId"],
                client_id=e["clientId"],
                client_secret=e["clientSecret"],
                endpoint=e["endpoint"],
                created_at=e["createdAt"] if isinstance(e.get("createdAt"), str) else "1970-01-01T00:00:00.000Z",
                last_used=e["lastUsed"] if isinstance(e.get("lastUsed"), str) else None,
            )
        )
    return out


def pick_credential(clients: list[CredentialEntry], endpoint: str | None = None) -> CredentialEntry | None:
    """The entry ``JuryClient()`` uses: among entries for ``endpoint`` (all when None), the most recently used."""
    wanted = None if endpoint is None else normalize_endpoint(endpoint)
    candidates = [c for c in clients if wanted is None or normalize_endpoint(c.endpoint) == wanted]
    candidates.sort(key=lambda c: c.last_used or c.created_at, reverse=True)
    return candidates[0] if candidates else None


def mark_credential_used(client_id: str, path: Path | str | None = None) -> None:
    """Records that a saved client was just used (``lastUsed``), writing the file atomically, 0600 in 0700."""
    file = Path(path) if path is not None else credentials_path()
    try:
        data = as_object(json.loads(file.read_text(encoding="utf-8")))
    except (FileNotFoundError, ValueError):
        return
    clients: Any = data.get("clients") if data is not None else None
    if data is None or not isinstance(clients, list):
        return
    changed = False
    now = datetime.now(timezone.utc).isoformat(timespec="milliseconds").replace("+00:00", "Z")
    for raw in cast("list[Any]", clients):
        e = as_object(raw)
        if e is not None and e.get("clientId") == client_id:
            e["lastUsed"] = now
            changed = True
    if not changed:
        return
    tmp = file.parent / f".credentials.{os.getpid()}.{secrets.token_hex(6)}.tmp"
    try:
        fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        with os.fdopen(fd, "w", encoding="utf-8") as f:
            f.write(json.dumps(data, indent=2) + "\n")
        os.replace(tmp, file)
    finally:
        if tmp.exists():
            tmp.unlink()
