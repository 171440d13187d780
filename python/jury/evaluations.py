# pyright: strict, reportUnnecessaryIsInstance=false
"""``client.evaluations``: ground-truth evaluations (built-in MixEval and MixEval-Hard, your own imports), the
twin of ``@jury/sdk``'s ``client.evaluations``."""

from __future__ import annotations

import json
from pathlib import Path
from typing import TYPE_CHECKING, Any
from urllib.parse import quote

from .errors import JuryNotFoundError

if TYPE_CHECKING:
    from .client import JuryClient


def _q(segment: str) -> str:
    return quote(segment, safe="")


class EvaluationManager:
    """``client.evaluations``."""

    def __init__(self, client: JuryClient) -> None:
        self._client = client

    def list(self, name: str = "", trusted: bool | None = None, amount: int = 10, page: int = 1) -> dict[str, Any]:
        """Evaluations you can run, built-in first: ``{"data": [...], "total": n, ...}``."""
        query: dict[str, Any] = {"name": name or None, "amount": amount, "page": page}
        if trusted is not None:
            query["trusted"] = "true" if trusted else "false"
        result: dict[str, Any] = self._client.request("GET", "/api/v1/evaluations", query=query)
        return result

    def get(self, ref: str) -> dict[str, Any]:
        """An evaluation by id or name, with its versions and their item counts per split."""
        data: dict[str, Any] = self._client.request("GET", f"/api/v1/evaluations/{_q(ref)}")["data"]
        return data

    def find(self, ref: str) -> dict[str, Any] | None:
        try:
            return self.get(ref)
        except JuryNotFoundError:
            return None

    def create(
        self, name: str, description: str | None = None, trusted: bool | None = None, visibility: str | None = None
    ) -> dict[str, Any]:
        body = {k: v for k, v in {"name": name, "description": description, "trusted": trusted,
                                  "visibility": visibility}.items() if v is not None}
        data: dict[str, Any] = self._client.request("POST", "/api/v1/evaluations", json=body)["data"]
        return data

    def import_jsonl(
        self, evaluation: str, version: str, *, file: str | Path | None = None, jsonl: str | None = None,
        description: str | None = None, trusted: bool | None = None, visibility: str | None = None,
    ) -> dict[str, Any]:
        """Imports a version from JSONL (a file or a string), creating the evaluation when it does not exist; a bad
        line fails the whole import with its number."""
        text = Path(file).read_text(encoding="utf-8") if file is not None else jsonl
        if text is None:
            raise ValueError("give file= or jsonl=")
        return self._import(evaluation, {"version": version, "jsonl": text}, description, trusted, visibility)

    def import_mixeval(
        self, evaluation: str, version: str, directory: str | Path,
        description: str | None = None, trusted: bool | None = None, visibility: str | None = None,
    ) -> dict[str, Any]:
        """Imports a version from a MixEval folder (``free-form.json`` and ``multiple-choice.json``)."""
        folder = Path(directory)
        mixeval: dict[str, Any] = {}
        for key, file in (("freeForm", "free-form.json"), ("multipleChoice", "multiple-choice.json")):
            if (folder / file).exists():
                mixeval[key] = json.loads((folder / file).read_text(encoding="utf-8"))
        return self._import(evaluation, {"version": version, "mixeval": mixeval}, description, trusted, visibility)

    def _import(
        self, evaluation: str, body: dict[str, Any], description: str | None, trusted: bool | None,
        visibility: str | None,
    ) -> dict[str, Any]:
        existing = self.find(evaluation)
        if existing is not None:
            data: dict[str, Any] = self._client.request(
                "POST", f"/api/v1/evaluations/{_q(existing['id'])}/versions", json=body
            )["data"]
            return data
        create: dict[str, Any] = {k: v for k, v in {"name": evaluation, "description": description,
                                                    "trusted": trusted, "visibility": visibility}.items()
                                  if v is not None}
        created: dict[str, Any] = self._client.request(
            "POST", "/api/v1/evaluations", json={**create, "import": body}
        )["data"]
        return next(v for v in created["versions"] if v["version"] == body["version"])

    def items(self, ref: str, version: str, split: str | None = None, amount: int = 100, page: int = 1) -> dict[str, Any]:
        """A version's items in import order, a page at a time."""
        query: dict[str, Any] = {"split": split, "amount": amount, "page": page}
        result: dict[str, Any] = self._client.request(
            "GET", f"/api/v1/evaluations/{_q(ref)}/versions/{_q(version)}/items", query=query
        )
        return result

    def delete(self, ref: str) -> None:
        self._client.request("DELETE", f"/api/v1/evaluations/{_q(ref)}")

    def delete_version(self, ref: str, version: str) -> None:
        self._client.request("DELETE", f"/api/v1/evaluations/{_q(ref)}/versions/{_q(version)}")
