# pyright: strict, reportUnnecessaryIsInstance=false
"""``client.flow``: ranking flows (the reference SDK's ``RapidataFlowManager``): a flow holds the instruction and
thresholds, each batch (flow item) is a set of items ranked by pairwise votes."""

from __future__ import annotations

import time
from collections.abc import Sequence
from typing import TYPE_CHECKING, Any
from urllib.parse import quote

from .errors import JuryTimeoutError
from .jobs import find_query
from .settings import JurySetting, setting_names

if TYPE_CHECKING:
    from .audiences import JuryAudience
    from .client import JuryClient

FINISHED = ("completed", "incomplete", "stopped")


def _q(segment: str) -> str:
    return quote(segment, safe="")


class FlowItemResult(dict[str, Any]):
    """A flow item's results as the server returns them (``ranking``, ``totalVotes``, ``status``, ...), with the
    reference's ``datapoints`` (score per item name, best first) and ``total_votes`` as attributes."""

    @property
    def datapoints(self) -> dict[str, float]:
        return dict(self["datapoints"])

    @property
    def total_votes(self) -> int:
        return int(self["totalVotes"])


class JuryFlowItem:
    """One batch of a flow: its items, ranked as votes come in."""

    def __init__(self, client: JuryClient, data: dict[str, Any]) -> None:
        self._client = client
        self.id: str = data["id"]
        self.flow_id: str = data["flowId"]

    def __repr__(self) -> str:
        return f"JuryFlowItem(id={self.id!r})"

    def get(self) -> dict[str, Any]:
        data: dict[str, Any] = self._client.request("GET", f"/api/v1/flow-items/{_q(self.id)}")["data"]
        return data

    def get_status(self) -> str:
        """pending, running, completed, incomplete or stopped."""
        return str(self.get()["status"])

    def get_results(self, wait: bool = True, timeout: float = 600, poll: float = 1.0) -> FlowItemResult:
        """Waits until the item is completed, incomplete or stopped (unless ``wait=False``) and returns its ranking."""
        deadline = time.monotonic() + timeout
        while True:
            data = FlowItemResult(self._client.request("GET", f"/api/v1/flow-items/{_q(self.id)}/results")["data"])
            if not wait or data["status"] in FINISHED:
                return data
            if time.monotonic() >= deadline:
                raise JuryTimeoutError("TIMEOUT", f"Flow item {self.id} is still {data['status']} after {timeout} s.")
            time.sleep(poll)

    def get_win_loss_matrix(self) -> dict[str, Any]:
        data: dict[str, Any] = self._client.request("GET", f"/api/v1/flow-items/{_q(self.id)}/win-loss-matrix")["data"]
        return data

    def get_response_count(self) -> int:
        return int(self._client.request("GET", f"/api/v1/flow-items/{_q(self.id)}/response-count")["data"]["responseCount"])

    def stop(self) -> dict[str, Any]:
        data: dict[str, Any] = self._client.request("POST", f"/api/v1/flow-items/{_q(self.id)}/stop")["data"]
        return data


class JuryFlow:
    """A ranking flow (the reference's ``RapidataFlow``)."""

    def __init__(self, client: JuryClient, data: dict[str, Any]) -> None:
        self._client = client
        self.data = data
        self.id: str = data["id"]
        self.name: str = data["name"]

    def __repr__(self) -> str:
        return f"JuryFlow(id={self.id!r}, name={self.name!r})"

    def create_new_flow_batch(
        self,
        datapoints: Sequence[str],
        data_type: str = "media",
        context: str | None = None,
        context_assets: Sequence[str] | None = None,
        time_to_live: int | None = None,
        private_metadata: dict[str, str] | None = None,
    ) -> JuryFlowItem:
        """A flow item ranking these items (local files uploaded, URLs registered, or texts with data_type="text")."""
        kind = "text" if data_type == "text" else "media"
        body: dict[str, Any] = {
            "datapoints": [self._client.assets.resolve_item(d, kind) for d in datapoints],
            "dataType": data_type,
        }
        if context is not None:
            body["context"] = context
        if context_assets is not None:
            body["contextAssets"] = [self._client.assets.resolve_item(a, "media") for a in context_assets]
        if time_to_live is not None:
            body["timeToLive"] = time_to_live
        if private_metadata is not None:
            body["privateMetadata"] = private_metadata
        data = self._client.request("POST", f"/api/v1/flows/{_q(self.id)}/items", json=body)["data"]
        return JuryFlowItem(self._client, data)

    def get_flow_items(self, amount: int = 10, page: int = 1, status: str | None = None) -> list[JuryFlowItem]:
        query = {"amount": amount, "page": page, "status": status}
        body = self._client.request("GET", f"/api/v1/flows/{_q(self.id)}/items", query=query)
        return [JuryFlowItem(self._client, d) for d in body["data"]]

    def update_config(
        self,
        instruction: str | None = None,
        max_response_threshold: int | None = None,
        min_response_threshold: int | None = None,
        settings: Sequence[JurySetting | str] | None = None,
    ) -> JuryFlow:
        """Changes what new flow items get; existing items keep theirs."""
        changes: dict[str, Any] = {}
        for key, value in (("instruction", instruction), ("maxResponseThreshold", max_response_threshold),
                           ("minResponseThreshold", min_response_threshold)):
            if value is not None:
                changes[key] = value
        if settings is not None:
            changes["settings"] = setting_names(settings)
        self.data = self._client.request("PATCH", f"/api/v1/flows/{_q(self.id)}/config", json=changes)["data"]
        return self

    def delete(self) -> None:
        self._client.request("DELETE", f"/api/v1/flows/{_q(self.id)}")


class FlowManager:
    """``client.flow``."""

    def __init__(self, client: JuryClient) -> None:
        self._client = client

    def create_ranking_flow(
        self,
        name: str,
        instruction: str,
        max_response_threshold: int = 100,
        min_response_threshold: int | None = None,
        audience_id: str | JuryAudience | None = None,
        starting_elo: float = 1200,
        settings: Sequence[JurySetting | str] | None = None,
    ) -> JuryFlow:
        body: dict[str, Any] = {
            "name": name, "instruction": instruction, "maxResponseThreshold": max_response_threshold,
            "startingElo": starting_elo, "settings": setting_names(settings),
        }
        if min_response_threshold is not None:
            body["minResponseThreshold"] = min_response_threshold
        if audience_id is not None:
            body["audienceId"] = audience_id if isinstance(audience_id, str) else audience_id.id
        return JuryFlow(self._client, self._client.request("POST", "/api/v1/flows", json=body)["data"])

    def get_flow_by_id(self, flow_id: str) -> JuryFlow:
        return JuryFlow(self._client, self._client.request("GET", f"/api/v1/flows/{_q(flow_id)}")["data"])

    def find_flows(self, name: str = "", amount: int = 10, page: int = 1) -> list[JuryFlow]:
        body = self._client.request("GET", "/api/v1/flows", query=find_query(name, amount, page))
        return [JuryFlow(self._client, f) for f in body["data"]]

    def preheat(self) -> dict[str, Any]:
        data: dict[str, Any] = self._client.request("POST", "/api/v1/preheat")["data"]
        return data


class JuryRankingJob:
    """A ranking job (``audience.assign_job`` of a ranking job definition): each ranking ordered by pairwise votes."""

    def __init__(self, client: JuryClient, data: dict[str, Any]) -> None:
        self._client = client
        self.id: str = data["id"]
        self.name: str = data["name"]
        self.definition_id: str = data["definitionId"]
        self.audience_id: str = data["audienceId"]
        self.status: str = data["status"]

    def __repr__(self) -> str:
        return f"JuryRankingJob(id={self.id!r}, name={self.name!r}, status={self.status!r})"

    def get(self) -> dict[str, Any]:
        data: dict[str, Any] = self._client.request("GET", f"/api/v1/ranking-jobs/{_q(self.id)}")["data"]
        self.status = data["status"]
        return data

    def get_status(self) -> str:
        return str(self.get()["status"])

    def display_progress_bar(self, refresh_rate: float = 5.0, timeout: float | None = None) -> None:
        """A line whenever the responses so far change, until the job completes (nothing in silent mode)."""
        from .config import say

        deadline = None if timeout is None else time.monotonic() + timeout
        last = ""
        while True:
            job = self.get()
            p = job["progress"]
            line = (f"Ranking job {self.name} ({self.id}): {p['completedRankings']}/{p['rankings']} rankings complete, "
                    f"{p['responses']}/{p['wantedResponses']} responses, {job['status']}")
            if line != last:
                say(line)
            last = line
            if job["status"] == "completed":
                return
            if deadline is not None and time.monotonic() >= deadline:
                raise JuryTimeoutError("TIMEOUT", f"Ranking job {self.id} is still {job['status']} after {timeout} s.")
            time.sleep(refresh_rate)

    def get_results(self, wait: bool = True, timeout: float = 600, poll: float = 1.0) -> dict[str, Any]:
        """``{jobId, name, status, rankings: [{index, context, datapoints, totalVotes, ranking, ...}]}``, once completed
        (unless ``wait=False``)."""
        deadline = time.monotonic() + timeout
        while True:
            data: dict[str, Any] = self._client.request("GET", f"/api/v1/ranking-jobs/{_q(self.id)}/results")["data"]
            if not wait or data["status"] == "completed":
                return data
            if time.monotonic() >= deadline:
                raise JuryTimeoutError("TIMEOUT", f"Ranking job {self.id} is still {data['status']} after {timeout} s.")
            time.sleep(poll)


class JuryRankingJobDefinition:
    """A ranking job definition (``client.job.create_ranking_job_definition``): one ranking per inner list."""

    def __init__(self, client: JuryClient, data: dict[str, Any]) -> None:
        self._client = client
        self.data = data
        self.id: str = data["id"]
        self.name: str = data["name"]

    def __repr__(self) -> str:
        return f"JuryRankingJobDefinition(id={self.id!r}, name={self.name!r})"

    def assign_to(self, audience: str | JuryAudience = "global", name: str | None = None) -> JuryRankingJob:
        body: dict[str, Any] = {"definitionId": self.id, "audienceId": audience if isinstance(audience, str) else audience.id}
        if name is not None:
            body["name"] = name
        return JuryRankingJob(self._client, self._client.request("POST", "/api/v1/ranking-jobs", json=body)["data"])


def create_ranking_job_definition(
    client: JuryClient,
    name: str,
    instruction: str,
    datapoints: Sequence[Sequence[str]],
    comparison_budget_per_ranking: int,
    responses_per_comparison: int | None = None,
    random_comparisons_ratio: float | None = None,
    data_type: str = "media",
    contexts: Sequence[str] | None = None,
    media_contexts: Sequence[Sequence[str]] | None = None,
    settings: Sequence[JurySetting | str] | None = None,
) -> JuryRankingJobDefinition:
    kind = "text" if data_type == "text" else "media"
    body: dict[str, Any] = {
        "name": name, "instruction": instruction, "dataType": data_type,
        "datapoints": [[client.assets.resolve_item(i, kind) for i in group] for group in datapoints],
        "comparisonBudgetPerRanking": comparison_budget_per_ranking,
    }
    if responses_per_comparison is not None:
        body["responsesPerComparison"] = responses_per_comparison
    if random_comparisons_ratio is not None:
        body["randomComparisonsRatio"] = random_comparisons_ratio
    if contexts is not None:
        body["contexts"] = list(contexts)
    if media_contexts is not None:
        body["mediaContexts"] = [[client.assets.resolve_item(i, "media") for i in group] for group in media_contexts]
    if settings is not None:
        body["settings"] = setting_names(settings)
    data = client.request("POST", "/api/v1/ranking-job-definitions", json=body)["data"]
    return JuryRankingJobDefinition(client, data)
