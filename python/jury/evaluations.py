# pyright: strict, reportUnnecessaryIsInstance=false
"""``client.evaluations``: ground-truth evaluations (built-in MixEval and MixEval-Hard, your own imports), the
twin of ``@jury/sdk``'s ``client.evaluations``."""

from __future__ import annotations

import json
import sys
import time
from pathlib import Path
from typing import TYPE_CHECKING, Any
from urllib.parse import quote

from .config import jury_config, say
from .errors import JuryNotFoundError, JuryTimeoutError

if TYPE_CHECKING:
    from .client import JuryClient


def _q(segment: str) -> str:
    return quote(segment, safe="")


FINISHED_RUN = ("completed", "failed", "cancelled")


class JuryEvaluationRun:
    """A run of an evaluation against a model (``client.evaluations.run``); ``data`` is the run as last read."""

    def __init__(self, client: JuryClient, data: dict[str, Any]) -> None:
        self._client = client
        self.id: str = data["id"]
        self.data: dict[str, Any] = data

    def __repr__(self) -> str:
        return f"JuryEvaluationRun(id={self.id!r}, status={self.data.get('status')!r})"

    def refresh(self) -> dict[str, Any]:
        self.data = self._client.request("GET", f"/api/v1/evaluation-runs/{_q(self.id)}")["data"]
        return self.data

    def wait_until_done(self, timeout: float | None = None, poll: float = 1.0) -> dict[str, Any]:
        """Waits until the run is completed, failed or cancelled, and returns it."""
        started = time.monotonic()
        while True:
            run = self.refresh()
            if run["status"] in FINISHED_RUN:
                return run
            if timeout is not None and time.monotonic() - started > timeout:
                raise JuryTimeoutError("TIMEOUT", f"Run {self.id} did not finish within {timeout} s ({run['status']}).")
            time.sleep(poll)

    def display_progress_bar(self, timeout: float | None = None, poll: float = 1.0) -> dict[str, Any]:
        """Shows the finished items until the run is done (a bar on a terminal, else a line when progress changes;
        nothing in silent mode) and returns the run."""
        tty = sys.stdout.isatty()
        last = ""
        started = time.monotonic()
        while True:
            run = self.refresh()
            p = run["progress"]
            if not jury_config.logging.silent_mode:
                if tty:
                    width = 30
                    done = int(width * p["finished"] / p["total"]) if p["total"] else width
                    sys.stdout.write(f"\r{run['evaluation']} {run['version']} [{'█' * done}{'░' * (width - done)}] "
                                     f"{p['finished']}/{p['total']} items | {run['status']} | {p['failed']} failed")
                    sys.stdout.flush()
                else:
                    line = (f"Run {self.id}: {p['finished']}/{p['total']} items ({p['cached']} cached, "
                            f"{p['failed']} failed, {p['skipped']} skipped), {run['status']}")
                    if line != last:
                        say(line)
                    last = line
            if run["status"] in FINISHED_RUN:
                if tty and not jury_config.logging.silent_mode:
                    sys.stdout.write("\n")
                return run
            if timeout is not None and time.monotonic() - started > timeout:
                raise JuryTimeoutError("TIMEOUT", f"Run {self.id} did not finish within {timeout} s ({run['status']}).")
            time.sleep(poll)

    def items(self, split: str | None = None, status: str | None = None, amount: int = 100, page: int = 1,
        cursor: str | None = None,
    ) -> dict[str, Any]:
        """Per-item results: the prompt sent, the raw response, the extracted answer, the grade, latency, tokens."""
        query: dict[str, Any] = {"split": split, "status": status, "amount": amount, "page": None if cursor else page,
                                 "cursor": cursor}
        result: dict[str, Any] = self._client.request("GET", f"/api/v1/evaluation-runs/{_q(self.id)}/items", query=query)
        return result

    def score(self, grader: str | None = None) -> dict[str, Any]:
        """Grades the stored answers again (``grader``: "rules" or a judge model's id) and returns the run."""
        body = {} if grader is None else {"grader": grader}
        self.data = self._client.request("POST", f"/api/v1/evaluation-runs/{_q(self.id)}/score", json=body)["data"]
        return self.data

    def cancel(self) -> dict[str, Any]:
        self.data = self._client.request("POST", f"/api/v1/evaluation-runs/{_q(self.id)}/cancel")["data"]
        return self.data


class EvaluationManager:
    """``client.evaluations``."""

    def __init__(self, client: JuryClient) -> None:
        self._client = client

    def list(self, name: str = "", trusted: bool | None = None, amount: int = 10, page: int = 1,
        cursor: str | None = None,
    ) -> dict[str, Any]:
        """Evaluations you can run, built-in first: ``{"data": [...], "total": n, ...}``."""
        query: dict[str, Any] = {"name": name or None, "amount": amount, "page": None if cursor else page,
                                 "cursor": cursor}
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

    def items(self, ref: str, version: str, split: str | None = None, amount: int = 100, page: int = 1,
        cursor: str | None = None,
    ) -> dict[str, Any]:
        """A version's items in import order, a page at a time."""
        query: dict[str, Any] = {"split": split, "amount": amount, "page": None if cursor else page,
                                 "cursor": cursor}
        result: dict[str, Any] = self._client.request(
            "GET", f"/api/v1/evaluations/{_q(ref)}/versions/{_q(version)}/items", query=query
        )
        return result

    def run(
        self, model: str, evaluation: str, version: str, inference_only: bool = False, grader: str | None = None,
        cache: bool = True,
    ) -> JuryEvaluationRun:
        """Starts a run of ``evaluation`` ``version`` against the model (its id); the server runs it in the
        background, resumably, held at the model's limits."""
        body: dict[str, Any] = {"model": model, "evaluation": evaluation, "version": version,
                                "inferenceOnly": inference_only, "cache": cache}
        if grader is not None:
            body["grader"] = grader
        return JuryEvaluationRun(self._client, self._client.request("POST", "/api/v1/evaluation-runs", json=body)["data"])

    def get_run(self, run_id: str) -> JuryEvaluationRun:
        return JuryEvaluationRun(self._client, self._client.request("GET", f"/api/v1/evaluation-runs/{_q(run_id)}")["data"])

    def runs(
        self, model: str | None = None, evaluation: str | None = None, status: str | None = None,
        since: str | None = None, until: str | None = None, min_score: float | None = None, amount: int = 50,
        page: int = 1, cursor: str | None = None,
    ) -> dict[str, Any]:
        """Run history, newest first, filtered by model, evaluation, status, date (ISO 8601) and score."""
        query: dict[str, Any] = {"model": model, "evaluation": evaluation, "status": status, "since": since,
                                 "until": until, "minScore": min_score, "amount": amount, "page": None if cursor else page,
                                 "cursor": cursor}
        result: dict[str, Any] = self._client.request("GET", "/api/v1/evaluation-runs", query=query)
        return result

    def scores(self, model_id: str) -> dict[str, Any]:
        """A model's score history per evaluation and its aggregate score."""
        data: dict[str, Any] = self._client.request("GET", f"/api/v1/models/{_q(model_id)}/scores")["data"]
        return data

    def model_scores(
        self, name: str = "", owner: str = "any", sort: str = "-score", amount: int = 10, page: int = 1,
        cursor: str | None = None,
    ) -> dict[str, Any]:
        """The models you can see, each with its aggregate score (built-in and your own trusted evaluations) and its
        latest score per evaluation; best first unless ``sort`` says otherwise (``score``, ``name``, ``-createdAt``…)."""
        query: dict[str, Any] = {"name": name or None, "owner": owner, "sort": sort, "amount": amount, "page": None if cursor else page,
                                 "cursor": cursor}
        result: dict[str, Any] = self._client.request("GET", "/api/v1/model-scores", query=query)
        return result

    def delete(self, ref: str) -> None:
        self._client.request("DELETE", f"/api/v1/evaluations/{_q(ref)}")

    def delete_version(self, ref: str, version: str) -> None:
        self._client.request("DELETE", f"/api/v1/evaluations/{_q(ref)}/versions/{_q(version)}")
