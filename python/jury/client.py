# pyright: strict, reportUnnecessaryIsInstance=false
"""``JuryClient``: the reference SDK's ``RapidataClient`` against a Jury server."""

from __future__ import annotations

import os
import threading
import time
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Literal

from . import http
from .config import log
from .credentials import (
    credentials_path,
    mark_credential_used,
    normalize_endpoint,
    parse_server_url,
    pick_credential,
    read_credentials,
)
from .errors import JuryAuthError, JuryCredentialsError

DEFAULT_URL = "http://localhost:8787"

CredentialSource = Literal["arguments", "environment", "credentials-file"]


@dataclass
class ResolvedConnection:
    url: str
    client_id: str
    client_secret: str
    source: CredentialSource


def _non_empty(v: str | None) -> str | None:
    return None if v is None or v == "" else v


def resolve_connection(
    client_id: str | None = None,
    client_secret: str | None = None,
    url: str | None = None,
    credentials_file: Path | str | None = None,
    env: Mapping[str, str] | None = None,
) -> ResolvedConnection:
    """The server URL and credentials, in the TypeScript SDK's order: arguments, then ``JURY_CLIENT_ID`` /
    ``JURY_CLIENT_SECRET`` / ``JURY_URL`` (empty counts as unset), then the credentials file (the entry for the
    URL when one is known, else the most recently used entry, whose endpoint then gives the URL)."""
    environ = os.environ if env is None else env
    arg_id, arg_secret = _non_empty(client_id), _non_empty(client_secret)
    env_id, env_secret = _non_empty(environ.get("JURY_CLIENT_ID")), _non_empty(environ.get("JURY_CLIENT_SECRET"))
    given_url, env_url = _non_empty(url), _non_empty(environ.get("JURY_URL"))
    # Checked first: a malformed URL would otherwise surface as a confusing credentials or network error.
    explicit_url = (
        parse_server_url(given_url, "url")
        if given_url is not None
        else parse_server_url(env_url, "JURY_URL")
        if env_url is not None
        else None
    )
    if arg_id or arg_secret:
        cid, secret = arg_id or env_id, arg_secret or env_secret
        if not cid or not secret:
            only = "client_id" if arg_id else "client_secret"
            raise JuryCredentialsError("NO_CREDENTIALS", f"Pass both client_id and client_secret (only {only} was given).")
        return ResolvedConnection(normalize_endpoint(explicit_url or DEFAULT_URL), cid, secret, "arguments")
    if env_id or env_secret:
        if not env_id or not env_secret:
            only = "JURY_CLIENT_ID" if env_id else "JURY_CLIENT_SECRET"
            raise JuryCredentialsError(
                "NO_CREDENTIALS", f"Set both JURY_CLIENT_ID and JURY_CLIENT_SECRET (only {only} is set)."
            )
        return ResolvedConnection(normalize_endpoint(explicit_url or DEFAULT_URL), env_id, env_secret, "environment")
    file = Path(credentials_file) if credentials_file is not None else credentials_path()
    try:
        clients = read_credentials(file)
    except (OSError, ValueError) as err:
        raise JuryCredentialsError(
            "NO_CREDENTIALS", f"Cannot read the credentials file: {err}", details={"credentialsFile": str(file)}
        ) from err
    entry = pick_credential(clients, explicit_url)
    if entry is not None:
        return ResolvedConnection(
            normalize_endpoint(explicit_url or entry.endpoint), entry.client_id, entry.client_secret, "credentials-file"
        )
    saved = sorted({c.endpoint for c in clients})
    first = (
        f"No Jury credentials for {explicit_url}: no client_id/client_secret arguments, no "
        f"JURY_CLIENT_ID/JURY_CLIENT_SECRET, and no entry for that URL in {file}"
        + (f" (it has entries for {', '.join(saved)})." if saved else ".")
        if explicit_url
        else f"No Jury credentials found: no client_id/client_secret arguments, no JURY_CLIENT_ID/JURY_CLIENT_SECRET, "
        f"and no client in {file}."
    )
    raise JuryCredentialsError(
        "NO_CREDENTIALS",
        "\n".join(
            [
                first,
                "To fix it: start the server once with `jury serve` (it saves a local client on first start),",
                "or create one with `jury credentials create --save [--url <server url>]`,",
                "or pass JuryClient(client_id=..., client_secret=..., url=...).",
            ]
        ),
        details={"credentialsFile": str(file), "url": explicit_url},
    )


class JuryClient:
    """A client of a Jury server for requesters (the reference SDK's ``RapidataClient``): ``client.audience``,
    ``client.job``, ``client.assets``, ``client.mri``, ``client.flow``. Tokens come from ``POST /connect/token``
    (client credentials in the form body), are renewed before they expire and once more on a 401."""

    def __init__(
        self,
        client_id: str | None = None,
        client_secret: str | None = None,
        url: str | None = None,
        *,
        credentials_file: Path | str | None = None,
        leeway_seconds: float = 60,
        retry_base_delay: float = 0.25,
        env: Mapping[str, str] | None = None,
    ) -> None:
        resolved = resolve_connection(client_id, client_secret, url, credentials_file, env)
        self.url = resolved.url
        self.client_id = resolved.client_id
        self.credential_source: CredentialSource = resolved.source
        self._client_secret = resolved.client_secret
        self._credentials_file = Path(credentials_file) if credentials_file is not None else credentials_path()
        self._leeway = leeway_seconds
        self.retry_base_delay = retry_base_delay
        self._token: tuple[str, float] | None = None  # (value, renew at: monotonic seconds)
        self._token_lock = threading.Lock()
        from .assets import AssetsApi
        from .audiences import AudienceManager
        from .evaluations import EvaluationManager
        from .flows import FlowManager
        from .jobs import JobManager
        from .models import ModelManager
        from .mri import MriManager

        self.assets = AssetsApi(self)
        self.audience = AudienceManager(self)
        self.job = JobManager(self)
        self.mri = MriManager(self)
        self.flow = FlowManager(self)
        self.models = ModelManager(self)
        self.evaluations = EvaluationManager(self)

    def __repr__(self) -> str:
        return f"JuryClient(url={self.url!r}, client_id={self.client_id!r}, from {self.credential_source})"

    def get_token(self) -> str:
        """A valid bearer token, fetched or renewed when needed (threads share one request)."""
        with self._token_lock:
            if self._token is not None and time.monotonic() < self._token[1]:
                return self._token[0]
            try:
                res = http.send(
                    "POST",
                    f"{self.url}/connect/token",
                    form={
                        "grant_type": "client_credentials",
                        "client_id": self.client_id,
                        "client_secret": self._client_secret,
                    },
                )
            except JuryAuthError as err:
                if self.credential_source == "credentials-file":
                    err.message += f" (client {self.client_id} from {self._credentials_file})"
                    err.args = (err.message,)
                raise
            body = res.json()
            expires_in = float(body["expires_in"])
            self._token = (body["access_token"], time.monotonic() + expires_in - min(self._leeway, expires_in / 2))
            log("debug", f"obtained a token for {self.client_id}, valid {expires_in:.0f} s")
            if self.credential_source == "credentials-file":
                try:
                    mark_credential_used(self.client_id, self._credentials_file)
                except OSError as err:
                    log("debug", f"could not update lastUsed in {self._credentials_file}: {err}")
            return self._token[0]

    def invalidate_token(self) -> None:
        """Drops the cached token so the next request fetches a new one."""
        with self._token_lock:
            self._token = None

    def send(
        self,
        method: str,
        path: str,
        *,
        query: http.Query | None = None,
        json: Any = None,
        body: bytes | None = None,
        headers: Mapping[str, str] | None = None,
    ) -> http.Response:
        """A request to the Jury API with the bearer token, renewed once when the server answers 401."""
        url = http.build_url(self.url, path, query)
        for attempt in range(2):
            auth = {**(headers or {}), "authorization": f"Bearer {self.get_token()}"}
            try:
                return http.send(method, url, headers=auth, json_body=json, body=body)
            except JuryAuthError:
                if attempt > 0:
                    raise
                log("debug", f"{method} {path} answered 401; renewing the token once")
                self.invalidate_token()
        raise AssertionError("unreachable")

    def request(self, method: str, path: str, **kwargs: Any) -> Any:
        """Like ``send``, returning the parsed JSON body."""
        return self.send(method, path, **kwargs).json()
