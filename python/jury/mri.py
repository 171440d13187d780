# pyright: strict, reportUnnecessaryIsInstance=false
"""``client.mri``: Model Ranking Insights (benchmarks of prompts, leaderboards, models and their standings), with the
reference SDK's Python names; standings are lists of dicts (the server's rows), not DataFrames."""

from __future__ import annotations

import time
from collections.abc import Sequence
from typing import TYPE_CHECKING, Any
from urllib.parse import quote

from .errors import JuryTimeoutError, JuryValidationError
from .http import all_pages
from .jobs import find_query

if TYPE_CHECKING:
    from .audiences import JuryAudience
    from .client import JuryClient


def _q(segment: str) -> str:
    return quote(segment, safe="")




def _media(client: JuryClient, items: Sequence[str]) -> list[dict[str, str]]:
    """Each media item uploaded (local files) or registered (URLs) once, in the given order."""
    if isinstance(items, str) or not all(isinstance(i, str) and i.strip() for i in items):
        raise JuryValidationError("VALIDATION_FAILED", "media is a list of file paths or http(s) URLs.")
    resolved: dict[str, dict[str, str]] = {}
    for item in items:
        if item not in resolved:
            resolved[item] = client.assets.resolve_item(item, "media")
    return [resolved[i] for i in items]


def _media_body(
    client: JuryClient, media: Sequence[str], identifiers: Sequence[str] | None, prompts: Sequence[str] | None
) -> dict[str, Any]:
    if (identifiers is None) == (prompts is None):
        raise JuryValidationError(
            "VALIDATION_FAILED", "Pair the media with either identifiers or prompts (exactly one of them)."
        )
    keys = list(identifiers if identifiers is not None else prompts or [])
    if len(keys) != len(media):
        raise JuryValidationError(
            "VALIDATION_FAILED", f"{len(media)} media but {len(keys)} prompts or identifiers: pair them by index."
        )
    body: dict[str, Any] = {"media": _media(client, media)}
    body["identifiers" if identifiers is not None else "prompts"] = keys
    return body


def _prompt_lists(
    client: JuryClient,
    identifiers: Sequence[str] | None,
    prompts: Sequence[str | None] | None,
    prompt_assets: Sequence[str | None] | None,
    tags: Sequence[Sequence[str] | None] | None,
) -> dict[str, Any]:
    """The parallel prompt lists as the server takes them, prompt assets uploaded or registered."""
    lists: dict[str, Any] = {}
    if identifiers is not None:
        lists["identifiers"] = list(identifiers)
    if prompts is not None:
        lists["prompts"] = list(prompts)
    if tags is not None:
        lists["tags"] = [None if t is None else list(t) for t in tags]
    if prompt_assets is not None:
        present = [a for a in prompt_assets if a is not None]
        uploaded = dict(zip(present, _media(client, present)))
        lists["promptAssets"] = [None if a is None else uploaded[a] for a in prompt_assets]
    return lists


class JuryParticipant:
    """A model in a benchmark (the reference's ``BenchmarkParticipant``): ``created`` until run, then ``submitted``."""

    def __init__(self, client: JuryClient, data: dict[str, Any]) -> None:
        self._client = client
        self._data = data

    id = property(lambda self: str(self._data["id"]))
    name = property(lambda self: str(self._data["name"]))
    status = property(lambda self: str(self._data["status"]))
    media_count = property(lambda self: int(self._data["mediaCount"]))

    def __repr__(self) -> str:
        return f"JuryParticipant(id={self.id!r}, name={self.name!r}, status={self.status!r})"

    def upload_media(
        self, assets: Sequence[str], identifiers: Sequence[str] | None = None, prompts: Sequence[str] | None = None
    ) -> JuryParticipant:
        """More media of this model, each paired with a prompt (or a prompt identifier) of the benchmark."""
        body = _media_body(self._client, assets, identifiers, prompts)
        self._data = self._client.request("POST", f"/api/v1/participants/{_q(self.id)}/media", json=body)["data"]
        return self

    def run(self) -> JuryParticipant:
        """Submits the model: every leaderboard of the benchmark matches it against the field."""
        self._data = self._client.request("POST", f"/api/v1/participants/{_q(self.id)}/run")["data"]
        return self


class JuryLeaderboard:
    """One criterion of a benchmark (the reference's ``RapidataLeaderboard``)."""

    def __init__(self, client: JuryClient, data: dict[str, Any]) -> None:
        self._client = client
        self._data = data

    id = property(lambda self: str(self._data["id"]))
    name = property(lambda self: str(self._data["name"]))
    instruction = property(lambda self: str(self._data["instruction"]))
    show_prompt = property(lambda self: bool(self._data["showPrompt"]))
    inverse_ranking = property(lambda self: bool(self._data["inverseRanking"]))
    level_of_detail = property(lambda self: self._data["levelOfDetail"])
    audience_id = property(lambda self: str(self._data["audienceId"]))
    votes = property(lambda self: int(self._data["votes"]))
    matching = property(lambda self: bool(self._data["matching"]))

    def __repr__(self) -> str:
        return f"JuryLeaderboard(id={self.id!r}, name={self.name!r}, votes={self.votes})"

    def refresh(self) -> JuryLeaderboard:
        self._data = self._client.request("GET", f"/api/v1/leaderboards/{_q(self.id)}")["data"]
        return self

    def update(
        self, name: str | None = None, level_of_detail: str | int | None = None,
        min_responses_per_matchup: int | None = None, vote_aggregation: str | None = None,
    ) -> JuryLeaderboard:
        """Changes the name, the level of detail and responses per matchup of runs opened from now on, or the vote
        aggregation (applies to past votes too) (the SDK's ``update``)."""
        body = {
            k: v
            for k, v in {
                "name": name, "levelOfDetail": level_of_detail, "minResponsesPerMatchup": min_responses_per_matchup,
                "voteAggregation": vote_aggregation,
            }.items()
            if v is not None
        }
        self._data = self._client.request("PATCH", f"/api/v1/leaderboards/{_q(self.id)}", json=body)["data"]
        return self

    def runs(self) -> list[dict[str, Any]]:
        """The matchmaking runs, newest first: ``{id, status, participantIds, budget, planned, votes, ...}``."""
        return all_pages(
            lambda cursor, amount: self._client.request(
                "GET", f"/api/v1/leaderboards/{_q(self.id)}/runs", query={"cursor": cursor, "amount": amount}
            )
        )

    def get_standings(self, tags: Sequence[str] | None = None) -> list[dict[str, Any]]:
        """The models ranked, best first: ``{name, rank, score, lower, upper, rankLower, rankUpper, votes, wins,
        ties, winRate, participantId}`` (Bradley-Terry on the Elo scale with 95% intervals)."""
        return list(self.get_standings_report(tags)["standings"])

    def get_standings_report(self, tags: Sequence[str] | None = None) -> dict[str, Any]:
        """The whole standings document: ``standings``, ``totalVotes``, ``warnings``, ``method``, ``level``."""
        query = {"tags": ",".join(tags) if tags else None}
        data: dict[str, Any] = self._client.request("GET", f"/api/v1/leaderboards/{_q(self.id)}/standings", query=query)["data"]
        return data

    def wait_until_matched(self, timeout: float | None = None, poll: float = 1.0) -> JuryLeaderboard:
        """Waits until matchmaking has asked every comparison of the current run (then standings hold it)."""
        deadline = None if timeout is None else time.monotonic() + timeout
        while True:
            self.refresh()
            if not self.matching:
                return self
            if deadline is not None and time.monotonic() >= deadline:
                raise JuryTimeoutError(
                    "TIMEOUT", f"Leaderboard {self.id} was still matching after {timeout} s ({self.votes} votes so far)."
                )
            time.sleep(poll if deadline is None else max(0.0, min(poll, deadline - time.monotonic())))


class JuryBenchmark:
    """A benchmark (the reference's ``RapidataBenchmark``): prompts, leaderboards and the models evaluated on them."""

    def __init__(self, client: JuryClient, data: dict[str, Any]) -> None:
        self._client = client
        self._data = data

    id = property(lambda self: str(self._data["id"]))
    name = property(lambda self: str(self._data["name"]))

    def __repr__(self) -> str:
        return f"JuryBenchmark(id={self.id!r}, name={self.name!r})"

    def _list(self, what: str) -> list[dict[str, Any]]:
        return all_pages(
            lambda cursor, amount: self._client.request(
                "GET", f"/api/v1/benchmarks/{_q(self.id)}/{what}", query={"cursor": cursor, "amount": amount}
            )
        )

    def _prompt_id(self, method: str, identifier: str) -> str:
        if not isinstance(identifier, str) or not identifier.strip():
            raise JuryValidationError("VALIDATION_FAILED", f"{method}: give the prompt's identifier.")
        for p in self._list("prompts"):
            if p["identifier"] == identifier:
                return str(p["id"])
        raise JuryValidationError("VALIDATION_FAILED", f"{method}: benchmark {self.id} has no prompt {identifier!r}.")

    def update_prompt(
        self, identifier: str, tags: Sequence[str | dict[str, str]] | None = None, origin: str | None = None
    ) -> dict[str, Any]:
        """Replaces a prompt's tags and/or origin (by its identifier); runs already open keep the prompts they started
        with (the SDK's ``updatePrompt``)."""
        body: dict[str, Any] = {}
        if tags is not None:
            body["tags"] = list(tags)
        if origin is not None:
            body["origin"] = origin
        prompt_id = self._prompt_id("update_prompt", identifier)
        data: dict[str, Any] = self._client.request("PATCH", f"/api/v1/prompts/{_q(prompt_id)}", json=body)["data"]
        return data

    def delete_prompt(self, identifier: str) -> None:
        """Deletes a prompt with the models' media for it and its matchups and votes (the SDK's ``deletePrompt``)."""
        prompt_id = self._prompt_id("delete_prompt", identifier)
        self._client.request("DELETE", f"/api/v1/prompts/{_q(prompt_id)}")

    @property
    def prompts(self) -> list[str | None]:
        """The prompts as given, in order."""
        return [p["prompt"] for p in self._list("prompts")]

    @property
    def identifiers(self) -> list[str]:
        return [str(p["identifier"]) for p in self._list("prompts")]

    @property
    def leaderboards(self) -> list[JuryLeaderboard]:
        return [JuryLeaderboard(self._client, d) for d in self._list("leaderboards")]

    @property
    def participants(self) -> list[JuryParticipant]:
        return [JuryParticipant(self._client, d) for d in self._list("participants")]

    def add_prompts(
        self,
        identifiers: Sequence[str] | None = None,
        prompts: Sequence[str | None] | None = None,
        prompt_assets: Sequence[str | None] | None = None,
        tags: Sequence[Sequence[str] | None] | None = None,
    ) -> list[dict[str, Any]]:
        """More prompts (parallel lists); they take effect for models added afterwards."""
        lists = _prompt_lists(self._client, identifiers, prompts, prompt_assets, tags)
        data: list[dict[str, Any]] = self._client.request(
            "POST", f"/api/v1/benchmarks/{_q(self.id)}/prompts", json=lists
        )["data"]
        return data

    def create_leaderboard(
        self,
        name: str,
        instruction: str,
        show_prompt: bool = False,
        show_prompt_asset: bool = False,
        inverse_ranking: bool = False,
        level_of_detail: str | int = "low",
        min_responses_per_matchup: int | None = None,
        audience_id: str | JuryAudience | None = None,
        included_tags: Sequence[str] | None = None,
        excluded_tags: Sequence[str] | None = None,
        vote_aggregation: str | None = None,
        skip_initial_run: bool = False,
    ) -> JuryLeaderboard:
        """A leaderboard: labelers compare the models' media per prompt by ``instruction``; ``level_of_detail`` is
        the comparisons per evaluation run ("debug" 20, "low" 2,000 … or a number); ``min_responses_per_matchup``
        (≥ 3) labelers per matchup; ``vote_aggregation`` "all" (Jury's default: every vote counts) or "majority";
        tags fixed at creation; ``skip_initial_run`` opens no run for the models already there."""
        body: dict[str, Any] = {
            "name": name, "instruction": instruction, "showPrompt": show_prompt, "showPromptAsset": show_prompt_asset,
            "inverseRanking": inverse_ranking, "levelOfDetail": level_of_detail,
        }
        if min_responses_per_matchup is not None:
            body["minResponsesPerMatchup"] = min_responses_per_matchup
        if included_tags is not None:
            body["includedTags"] = list(included_tags)
        if excluded_tags is not None:
            body["excludedTags"] = list(excluded_tags)
        if vote_aggregation is not None:
            body["voteAggregation"] = vote_aggregation
        if skip_initial_run:
            body["skipInitialRun"] = True
        if audience_id is not None:
            body["audienceId"] = audience_id if isinstance(audience_id, str) else audience_id.id
        data = self._client.request("POST", f"/api/v1/benchmarks/{_q(self.id)}/leaderboards", json=body)["data"]
        return JuryLeaderboard(self._client, data)

    def evaluate_model(
        self, name: str, media: Sequence[str], prompts: Sequence[str] | None = None,
        identifiers: Sequence[str] | None = None,
    ) -> JuryParticipant:
        """Adds a model with its media (each paired with a benchmark prompt) and submits it at once."""
        return self._create(name, media, prompts, identifiers, submit=True)

    def add_model(
        self, name: str, media: Sequence[str] | None = None, prompts: Sequence[str] | None = None,
        identifiers: Sequence[str] | None = None,
    ) -> JuryParticipant:
        """Adds a model without submitting it (``participant.run()`` or ``benchmark.run()`` later)."""
        return self._create(name, media, prompts, identifiers, submit=False)

    def _create(
        self, name: str, media: Sequence[str] | None, prompts: Sequence[str] | None,
        identifiers: Sequence[str] | None, submit: bool,
    ) -> JuryParticipant:
        if not isinstance(name, str) or not name.strip():
            raise JuryValidationError("VALIDATION_FAILED", "Give the model a name.")
        body: dict[str, Any] = {"name": name, "submit": submit}
        if media is not None:
            body["media"] = _media_body(self._client, media, identifiers, prompts)
        elif submit:
            raise JuryValidationError("VALIDATION_FAILED", "A model evaluated at once needs media and prompts.")
        data = self._client.request("POST", f"/api/v1/benchmarks/{_q(self.id)}/participants", json=body)["data"]
        return JuryParticipant(self._client, data)

    def run(self) -> list[JuryParticipant]:
        """Submits every model not yet submitted."""
        data = self._client.request("POST", f"/api/v1/benchmarks/{_q(self.id)}/run")["data"]
        return [JuryParticipant(self._client, p) for p in data["submitted"]]

    def get_overall_standings(self, tags: Sequence[str] | None = None) -> list[dict[str, Any]]:
        """Every leaderboard's votes in one fit (each in its direction), as rows like ``get_standings``."""
        query = {"tags": ",".join(tags) if tags else None}
        data = self._client.request("GET", f"/api/v1/benchmarks/{_q(self.id)}/standings", query=query)["data"]
        return list(data["standings"])


class MriManager:
    """``client.mri`` (the reference SDK's ``RapidataBenchmarkManager``)."""

    def __init__(self, client: JuryClient) -> None:
        self._client = client

    def create_new_benchmark(
        self,
        name: str,
        identifiers: Sequence[str] | None = None,
        prompts: Sequence[str | None] | None = None,
        prompt_assets: Sequence[str | None] | None = None,
        tags: Sequence[Sequence[str] | None] | None = None,
    ) -> JuryBenchmark:
        """A benchmark with its prompts (parallel lists matched by index); prompt assets are uploaded or registered."""
        if not isinstance(name, str) or not name.strip():
            raise JuryValidationError("VALIDATION_FAILED", "Give the benchmark a name.")
        lists = _prompt_lists(self._client, identifiers, prompts, prompt_assets, tags)
        body: dict[str, Any] = {"name": name, **({"prompts": lists} if lists else {})}
        return JuryBenchmark(self._client, self._client.request("POST", "/api/v1/benchmarks", json=body)["data"])

    def get_benchmark_by_id(self, benchmark_id: str) -> JuryBenchmark:
        return JuryBenchmark(self._client, self._client.request("GET", f"/api/v1/benchmarks/{_q(benchmark_id)}")["data"])

    def find_benchmarks(self, name: str = "", amount: int = 10, page: int = 1) -> list[JuryBenchmark]:
        body = self._client.request("GET", "/api/v1/benchmarks", query=find_query(name, amount, page))
        return [JuryBenchmark(self._client, b) for b in body["data"]]

    def get_leaderboard_by_id(self, leaderboard_id: str) -> JuryLeaderboard:
        return JuryLeaderboard(self._client, self._client.request("GET", f"/api/v1/leaderboards/{_q(leaderboard_id)}")["data"])
