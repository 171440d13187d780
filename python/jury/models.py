# pyright: strict, reportUnnecessaryIsInstance=false
"""``client.models``: models registered by their HTTP endpoint, the twin of ``@jury/sdk``'s ``client.models``."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any
from urllib.parse import quote

if TYPE_CHECKING:
    from .client import JuryClient


def _q(segment: str) -> str:
    return quote(segment, safe="")


def _drop_none(d: dict[str, Any]) -> dict[str, Any]:
    return {k: v for k, v in d.items() if v is not None}


class JuryModel:
    """A registered model; ``data`` is the server's document as last read (header values masked)."""

    def __init__(self, client: JuryClient, data: dict[str, Any]) -> None:
        self._client = client
        self.id: str = data["id"]
        self.data: dict[str, Any] = data

    def __repr__(self) -> str:
        return f"JuryModel(id={self.id!r}, name={self.name!r})"

    @property
    def name(self) -> str:
        return str(self.data["name"])

    def refresh(self) -> dict[str, Any]:
        self.data = self._client.request("GET", f"/api/v1/models/{_q(self.id)}")["data"]
        return self.data

    def edit(self, **changes: Any) -> JuryModel:
        """Changes details, ``visibility``, ``endpoint`` (a header's new value replaces it, None removes it),
        ``limits`` and ``costs``; camelCase keys as the API spells them (``publiclyRunnable``, ``parameterCount``)."""
        self.data = self._client.request("PATCH", f"/api/v1/models/{_q(self.id)}", json=changes)["data"]
        return self

    def delete(self) -> None:
        self._client.request("DELETE", f"/api/v1/models/{_q(self.id)}")

    def test_endpoint(self, prompt: str | None = None, endpoint: dict[str, Any] | None = None) -> dict[str, Any]:
        """Sends one real request: the status, the raw response, the extracted ``answer`` or the failing step."""
        body = _drop_none({"prompt": prompt, "endpoint": endpoint})
        result: dict[str, Any] = self._client.request("POST", f"/api/v1/models/{_q(self.id)}/test", json=body)["data"]
        return result


class ModelManager:
    """``client.models``."""

    def __init__(self, client: JuryClient) -> None:
        self._client = client

    def create(
        self,
        name: str,
        endpoint: dict[str, Any],
        *,
        description: str | None = None,
        publisher: str | None = None,
        architecture: str | None = None,
        parameter_count: float | None = None,
        visibility: str | None = None,
        publicly_runnable: bool | None = None,
        limits: dict[str, Any] | None = None,
        costs: dict[str, Any] | None = None,
    ) -> JuryModel:
        """Registers a model. ``endpoint`` is ``{"preset": "openai-chat", "url", "model", "apiKey"}`` or
        ``{"url", "headers", "bodyTemplate", "responsePath"}``; ``limits`` and ``costs`` as the API names them."""
        body = _drop_none(
            {
                "name": name,
                "endpoint": endpoint,
                "description": description,
                "publisher": publisher,
                "architecture": architecture,
                "parameterCount": parameter_count,
                "visibility": visibility,
                "publiclyRunnable": publicly_runnable,
                "limits": limits,
                "costs": costs,
            }
        )
        return JuryModel(self._client, self._client.request("POST", "/api/v1/models", json=body)["data"])

    def list(
        self, name: str = "", owner: str | None = None, sort: str | None = None, amount: int = 10, page: int = 1
    ) -> list[JuryModel]:
        """Your models and other organizations' public ones (``owner``: mine, others or any)."""
        query = _drop_none({"name": name or None, "owner": owner, "sort": sort, "amount": amount, "page": page})
        data: list[dict[str, Any]] = self._client.request("GET", "/api/v1/models", query=query)["data"]
        return [JuryModel(self._client, m) for m in data]

    def get(self, model_id: str) -> JuryModel:
        return JuryModel(self._client, self._client.request("GET", f"/api/v1/models/{_q(model_id)}")["data"])

    def find_by_name(self, name: str) -> JuryModel | None:
        found = self.list(name=name, owner="any", amount=100)
        exact = [m for m in found if m.name == name]
        return next((m for m in exact if m.data.get("owned")), exact[0] if exact else None)

    def test_endpoint(self, endpoint: dict[str, Any], prompt: str | None = None) -> dict[str, Any]:
        """Tests an endpoint before any model is saved with it."""
        body = _drop_none({"endpoint": endpoint, "prompt": prompt})
        result: dict[str, Any] = self._client.request("POST", "/api/v1/endpoint-tests", json=body)["data"]
        return result
