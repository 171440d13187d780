# pyright: strict, reportUnnecessaryIsInstance=false
"""Media assets: local files uploaded as raw bytes (``POST /api/v1/assets?fileName=``, the server sniffs the type),
http(s) URLs registered (``POST /api/v1/assets/url``), with retries on network errors, 429 and 5xx."""

from __future__ import annotations

import os
import random
import re
import time
from collections.abc import Callable
from typing import TYPE_CHECKING, Any, Literal, TypeVar

from .config import jury_config, log
from .errors import JuryItemError, JuryNetworkError, JuryRateLimitError, JuryServerError

if TYPE_CHECKING:
    from .client import JuryClient

DataType = Literal["media", "text"]
URL_PATTERN = re.compile(r"^https?://", re.IGNORECASE)
T = TypeVar("T")


def with_retries(fn: Callable[[], T], max_retries: int, base_delay: float, what: str) -> T:
    """Runs ``fn``, again after a network error, 429 or 5xx (never another 4xx), with exponential backoff."""
    attempt = 0
    while True:
        try:
            return fn()
        except (JuryNetworkError, JuryRateLimitError, JuryServerError) as err:
            if attempt >= max_retries:
                raise
            attempt += 1
            retry_after = err.retry_after_seconds if isinstance(err, JuryRateLimitError) else None
            delay = retry_after if retry_after is not None else base_delay * 2 ** (attempt - 1) * (0.5 + random.random())
            log("info", f"{what} failed ({err.message}); retry {attempt} in {delay:.2f} s")
            time.sleep(delay)


class AssetsApi:
    """``client.assets``: uploads are content-addressed (identical bytes are stored once)."""

    def __init__(self, client: JuryClient) -> None:
        self._client = client

    def upload(self, path: str) -> dict[str, Any]:
        """Uploads a local image, video or audio file; returns the asset (``id``, ``kind``, ``url``, ...)."""
        full = os.path.abspath(path)
        if not os.path.isfile(full):
            raise JuryItemError("INVALID_ITEM", f"Cannot upload {path}: no such file.", details={"item": path})

        def once() -> dict[str, Any]:
            with open(full, "rb") as f:
                content = f.read()
            body = self._client.request(
                "POST", "/api/v1/assets", query={"fileName": os.path.basename(full)[:300]}, body=content
            )
            return dict(body["data"])

        return with_retries(once, jury_config.upload.maxRetries, self._client.retry_base_delay, f"upload of {path}")

    def register_url(self, url: str, kind: str | None = None) -> dict[str, Any]:
        """Registers a public http(s) URL as an asset (the server checks that it answers with media)."""
        payload: dict[str, str] = {"url": url} if kind is None else {"url": url, "kind": kind}
        return with_retries(
            lambda: dict(self._client.request("POST", "/api/v1/assets/url", json=payload)["data"]),
            jury_config.upload.maxRetries,
            self._client.retry_base_delay,
            f"registering {url}",
        )

    def get(self, asset_id: str) -> dict[str, Any]:
        """An asset's metadata; unknown ids raise ``JuryNotFoundError``."""
        return dict(self._client.request("GET", f"/api/v1/assets/{_quote(asset_id)}")["data"])

    def resolve_media_reference(self, ref_or_url: str) -> dict[str, str]:
        """Which of your organization's assets a labeler's media reference names: ``{"assetId", "name"}`` (labelers
        see media only as opaque references, ``/api/v1/labeler/media/<ref>``); another organization's reference raises
        ``JuryNotFoundError``."""
        ref = ref_or_url.rsplit("/", 1)[-1]
        return dict(self._client.request("GET", f"/api/v1/media-references/{_quote(ref)}")["data"])

    def resolve_item(self, item: str, data_type: DataType = "media") -> dict[str, str]:
        """One datapoint item as the server stores it: ``{"text"}``, or ``{"assetId", "name"}`` named by the URL
        or the file's basename (the name results and truths use)."""
        if not isinstance(item, str) or item.strip() == "":
            raise JuryItemError(
                "INVALID_ITEM", f"A datapoint item must be a non-empty string; got {item!r}.",
                details={"item": item, "dataType": data_type},
            )
        if data_type == "text":
            return {"text": item}
        if URL_PATTERN.match(item):
            return {"assetId": self.register_url(item)["id"], "name": item}
        if os.path.isfile(item):
            return {"assetId": self.upload(item)["id"], "name": os.path.basename(item)}
        shown = item if len(item) <= 80 else item[:77] + "..."
        raise JuryItemError(
            "INVALID_ITEM",
            f'"{shown}" is neither an http(s) URL nor an existing file (looked for {os.path.abspath(item)}). '
            'For text datapoints pass data_type="text".',
            details={"item": item, "dataType": data_type},
        )


def _quote(segment: str) -> str:
    from urllib.parse import quote

    return quote(segment, safe="")
