# pyright: strict, reportUnnecessaryIsInstance=false
"""``client.job``: job definitions (what to ask about which datapoints) and jobs (a definition assigned to an
audience), with the reference SDK's Python names."""

from __future__ import annotations

import os
import sys
import time
import webbrowser
from collections.abc import Sequence
from typing import TYPE_CHECKING, Any
from urllib.parse import quote

from .config import jury_config, log, say
from .errors import JuryConflictError, JuryJobStalledError, JuryTimeoutError, JuryValidationError
from .settings import JurySetting, setting_names
from .upload import DatapointSet, check_datapoints, upload_definition

if TYPE_CHECKING:
    from .audiences import JuryAudience
    from .client import JuryClient
    from .flows import JuryRankingJobDefinition

DEFAULT_REFRESH_RATE = 5.0  # seconds between status polls, as the reference SDK polls
DEFAULT_STALL_TIMEOUT = 300.0


def open_in_browser(url: str) -> None:
    """Opens ``url`` without failing when there is no browser; only on a terminal and unless BROWSER=none."""
    if not sys.stdout.isatty() or os.environ.get("BROWSER") == "none":
        return
    try:
        webbrowser.open(url)
    except webbrowser.Error as err:
        log("debug", f"could not open a browser ({err}); open the URL yourself")


def find_query(name: str = "", amount: int = 10, page: int = 1) -> dict[str, Any]:
    if not isinstance(name, str):
        raise JuryValidationError("VALIDATION_FAILED", f"name is a string; got {name!r}.")
    if not isinstance(amount, int) or not 1 <= amount <= 500:
        raise JuryValidationError("VALIDATION_FAILED", f"amount is a whole number from 1 to 500; got {amount!r}.")
    if not isinstance(page, int) or page < 1:
        raise JuryValidationError("VALIDATION_FAILED", f"page is a whole number from 1; got {page!r}.")
    return {"name": name or None, "amount": amount, "page": page}


class JuryJobDefinition:
    """A job definition (the reference SDK's ``JobDefinition``): assign it to an audience to start a job."""

    def __init__(self, client: JuryClient, data: dict[str, Any]) -> None:
        self._client = client
        self.id: str = data["id"]
        self.name: str = data["name"]
        self.type: str = data["type"]
        self.revision: int = data["revision"]
        self.instruction: str = data["instruction"]
        self.data_type: str = data["dataType"]
        self.settings: list[str] = list(data["settings"])
        self.answer_options: list[str] | None = data.get("answerOptions")
        self.a_b_names: list[str] | None = data.get("aBNames")
        self.responses_per_datapoint: int = data["responsesPerDatapoint"]
        self.confidence_threshold: float | None = data.get("confidenceThreshold")
        self.quorum_threshold: int | None = data.get("quorumThreshold")
        self.datapoint_count: int = data["datapointCount"]
        self.created_at: str = data["createdAt"]

    def __repr__(self) -> str:
        return f"JuryJobDefinition(id={self.id!r}, name={self.name!r}, revision={self.revision})"

    def preview(self, open_browser: bool = True) -> dict[str, Any]:
        """Prints (and on a terminal opens) a link to the labeler's view; answers there are not recorded."""
        data: dict[str, Any] = self._client.request("POST", f"/api/v1/job-definitions/{quote(self.id, safe='')}/preview")["data"]
        say(f"Preview of {self.name} (what labelers see; answers are not recorded): {data['url']}")
        if open_browser:
            open_in_browser(data["url"])
        return data

    def add_datapoints(
        self,
        datapoints: list[Any],
        contexts: list[str] | None = None,
        media_contexts: list[list[str]] | None = None,
        private_metadata: list[dict[str, str]] | None = None,
    ) -> JuryJobDefinition:
        """Adds datapoints to the latest revision (uploads first); failures raise FailedUploadException."""
        s = DatapointSet(self.type, self.data_type, datapoints, contexts, media_contexts, private_metadata)
        check_datapoints(s)
        return upload_definition(self._client, s, list(range(len(datapoints))), self, None)


class JuryJob:
    """A job (the reference SDK's ``RapidataJob``): labelers answer its datapoints until each meets its stopping
    rule; then it is ``completed`` and its results are final."""

    def __init__(self, client: JuryClient, data: dict[str, Any]) -> None:
        self._client = client
        self.id: str = data["id"]
        self.type: str = data["type"]
        self.name: str = data["name"]
        self.definition_id: str = data["definitionId"]
        self.revision: int = data["revision"]
        self.audience_id: str = data["audienceId"]
        self.created_at: str = data["createdAt"]
        self.status: str = data["status"]
        self.completed_at: str | None = data.get("completedAt")

    def __repr__(self) -> str:
        return f"JuryJob(id={self.id!r}, name={self.name!r}, status={self.status!r})"

    def _read(self) -> dict[str, Any]:
        data: dict[str, Any] = self._client.request("GET", f"/api/v1/jobs/{quote(self.id, safe='')}")["data"]
        self.status = data["status"]
        self.completed_at = data.get("completedAt")
        return data

    def get_status(self) -> str:
        """``created``, ``running``, ``paused``, ``completed`` or ``failed``."""
        return str(self._read()["status"])

    def get_progress(self) -> dict[str, Any]:
        """``{status, completedTasks, totalTasks, responses, completionPercentage, stalled}`` without waiting."""
        data = self._read()
        return {"status": data["status"], **data["progress"]}

    def display_progress_bar(
        self, refresh_rate: float = DEFAULT_REFRESH_RATE, timeout: float | None = None,
        stall_timeout: float = DEFAULT_STALL_TIMEOUT,
    ) -> None:
        """Shows the completed datapoints until the job completes (a bar on a terminal, else a line whenever the
        progress changes; nothing in silent mode). The line says why when the job cannot progress."""
        tty = sys.stdout.isatty()
        last = ""

        def show(p: dict[str, Any]) -> None:
            nonlocal last
            if jury_config.logging.silent_mode:
                return
            note = f" | {p['stalled']['reason']}" if p.get("stalled") else ""
            if tty:
                width = 30
                done = int(width * p["completedTasks"] / p["totalTasks"]) if p["totalTasks"] else width
                line = (f"\r{self.name} [{'█' * done}{'░' * (width - done)}] {p['completedTasks']}/{p['totalTasks']} "
                        f"datapoints {p['completionPercentage']:.0f}% | {p['status']} | {p['responses']} responses{note}")
                sys.stdout.write(line)
                sys.stdout.flush()
                return
            line = (f"Job {self.name} ({self.id}): {p['completedTasks']}/{p['totalTasks']} datapoints complete "
                    f"({p['completionPercentage']:g}%), {p['responses']} responses, {p['status']}{note}")
            if line != last:
                say(line)
            last = line

        try:
            self._wait(refresh_rate, timeout, stall_timeout, show)
        finally:
            if tty and not jury_config.logging.silent_mode:
                sys.stdout.write("\n")

    def get_results(
        self, wait: bool = True, refresh_rate: float = DEFAULT_REFRESH_RATE, timeout: float | None = None,
        stall_timeout: float = DEFAULT_STALL_TIMEOUT, include_excluded: bool = False,
    ) -> dict[str, Any]:
        """Waits until the job completes and returns its results as the server gives them: compare
        ``{info, summary, results}``, classification ``{info, results: {globalAggregatedData, data}}``.
        ``wait=False`` returns the results so far at once; ``include_excluded=True`` keeps the responses of
        labelers dropped by their gold accuracy (left out by default, counted in ``integrity.excluded``)."""
        if wait:
            self._wait(refresh_rate, timeout, stall_timeout)
        data: dict[str, Any] = self._client.request(
            "GET", f"{self._path()}/results", query={"includeExcluded": include_excluded}
        )["data"]
        return data

    def get_results_csv(
        self, wait: bool = True, refresh_rate: float = DEFAULT_REFRESH_RATE, timeout: float | None = None,
        stall_timeout: float = DEFAULT_STALL_TIMEOUT, include_excluded: bool = False,
    ) -> str:
        """The results as CSV text (RFC 4180: a header row, one row per datapoint), with the values of
        ``get_results``; waits and takes ``include_excluded`` like it."""
        if wait:
            self._wait(refresh_rate, timeout, stall_timeout)
        return self._client.send(
            "GET", f"{self._path()}/results.csv", query={"includeExcluded": include_excluded}
        ).text()

    def get_results_jsonl(
        self, wait: bool = True, refresh_rate: float = DEFAULT_REFRESH_RATE, timeout: float | None = None,
        stall_timeout: float = DEFAULT_STALL_TIMEOUT, include_excluded: bool = False,
    ) -> str:
        """The results as JSON Lines text: one line per datapoint, its entry of ``get_results`` with its
        ``datapointId`` and ``index``; waits and takes ``include_excluded`` like ``get_results``."""
        if wait:
            self._wait(refresh_rate, timeout, stall_timeout)
        return self._client.send(
            "GET", f"{self._path()}/results.jsonl", query={"includeExcluded": include_excluded}
        ).text()

    def _path(self) -> str:
        return f"/api/v1/jobs/{quote(self.id, safe='')}"

    def view(self, open_browser: bool = True) -> str:
        """Prints (and on a terminal opens) the job's dashboard page; returns the link."""
        url = f"{self._client.url}/jobs/{quote(self.id, safe='')}"
        say(f"Job {self.name} in the dashboard: {url}")
        if open_browser:
            open_in_browser(url)
        return url

    def pause(self) -> None:
        """Labelers are no longer served its datapoints until ``resume()``."""
        self.status = self._client.request("POST", f"/api/v1/jobs/{quote(self.id, safe='')}/pause")["data"]["status"]

    def resume(self) -> None:
        self.status = self._client.request("POST", f"/api/v1/jobs/{quote(self.id, safe='')}/resume")["data"]["status"]

    def _wait(self, interval: float, timeout: float | None, stall_timeout: float, on_progress: Any = None) -> None:
        if not interval > 0:
            raise JuryValidationError("VALIDATION_FAILED", f"refresh_rate must be > 0; got {interval!r}.")
        deadline = None if timeout is None else time.monotonic() + timeout
        stalled_since: float | None = None
        while True:
            p = self.get_progress()
            if on_progress is not None:
                on_progress(p)
            if p["status"] == "completed":
                return
            if p["status"] == "failed":
                raise JuryConflictError("CONFLICT", f"Job {self.id} failed; it has no complete results.")
            now = time.monotonic()
            stall = p.get("stalled")
            stalled_since = (stalled_since or now) if stall and stall["code"] == "NO_ELIGIBLE_LABELERS" else None
            if stall and stalled_since is not None and now - stalled_since >= stall_timeout:
                raise JuryJobStalledError(
                    f"Job {self.name} ({self.id}) cannot progress at {p['completedTasks']}/{p['totalTasks']} "
                    f"datapoints: {stall['reason']}",
                    stall,
                    details={"progress": p},
                )
            if deadline is not None and now >= deadline:
                raise JuryTimeoutError(
                    "TIMEOUT",
                    f"Job {self.id} is still {p['status']} after {timeout} s ({p['completedTasks']}/{p['totalTasks']} "
                    "datapoints complete). Wait longer, or get_results(wait=False) for the results so far.",
                    details={"progress": p},
                )
            left = [interval]
            if deadline is not None:
                left.append(deadline - now)
            if stalled_since is not None:
                left.append(stalled_since + stall_timeout - now)
            time.sleep(max(0.0, min(left)))


class JobManager:
    """``client.job`` (the reference SDK's ``RapidataJobManager``)."""

    def __init__(self, client: JuryClient) -> None:
        self._client = client

    def create_compare_job_definition(
        self,
        name: str,
        instruction: str,
        datapoints: list[list[str]],
        data_type: str = "media",
        contexts: list[str] | None = None,
        media_contexts: list[list[str]] | None = None,
        a_b_names: list[str] | None = None,
        responses_per_datapoint: int | None = None,
        confidence_threshold: float | None = None,
        quorum_threshold: int | None = None,
        settings: Sequence[JurySetting | str] | None = None,
        private_metadata: list[dict[str, str]] | None = None,
    ) -> JuryJobDefinition:
        """Which of two items is better by the instruction. Local files are uploaded, URLs registered; datapoints
        whose assets fail are left out and reported in a FailedUploadException (with the created definition)."""
        extra = {} if a_b_names is None else {"aBNames": a_b_names}
        return self._create("compare", name, instruction, datapoints, data_type, contexts, media_contexts,
                            responses_per_datapoint, confidence_threshold, quorum_threshold, settings,
                            private_metadata, extra)

    def create_classification_job_definition(
        self,
        name: str,
        instruction: str,
        answer_options: list[str],
        datapoints: list[str],
        data_type: str = "media",
        contexts: list[str] | None = None,
        media_contexts: list[list[str]] | None = None,
        responses_per_datapoint: int | None = None,
        confidence_threshold: float | None = None,
        quorum_threshold: int | None = None,
        settings: Sequence[JurySetting | str] | None = None,
        private_metadata: list[dict[str, str]] | None = None,
    ) -> JuryJobDefinition:
        """Pick one of ``answer_options`` for each item (same uploads and partial failures as compare)."""
        return self._create("classification", name, instruction, datapoints, data_type, contexts, media_contexts,
                            responses_per_datapoint, confidence_threshold, quorum_threshold, settings,
                            private_metadata, {"answerOptions": answer_options})

    def _create(
        self, type_: str, name: str, instruction: str, datapoints: list[Any], data_type: str,
        contexts: list[str] | None, media_contexts: list[list[str]] | None, responses_per_datapoint: int | None,
        confidence_threshold: float | None, quorum_threshold: int | None, settings: Sequence[JurySetting | str] | None,
        private_metadata: list[dict[str, str]] | None, extra: dict[str, Any],
    ) -> JuryJobDefinition:
        if not isinstance(instruction, str) or instruction.strip() == "":
            raise JuryValidationError("VALIDATION_FAILED", "instruction cannot be empty (nothing was uploaded).")
        s = DatapointSet(type_, data_type, datapoints, contexts, media_contexts, private_metadata)
        check_datapoints(s)
        body: dict[str, Any] = {
            "type": type_, "name": name, "instruction": instruction, "dataType": data_type,
            "settings": setting_names(settings), **extra,
        }
        if responses_per_datapoint is not None:
            body["responsesPerDatapoint"] = responses_per_datapoint
        if confidence_threshold is not None:
            body["confidenceThreshold"] = confidence_threshold
        if quorum_threshold is not None:
            body["quorumThreshold"] = quorum_threshold
        return upload_definition(self._client, s, list(range(len(datapoints))), None, body)

    def create_ranking_job_definition(
        self,
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
        """Each inner list of ``datapoints`` is one ranking, ordered by ``comparison_budget_per_ranking`` pairwise
        matchups; assign it with ``audience.assign_job(definition)``."""
        from .flows import create_ranking_job_definition

        return create_ranking_job_definition(
            self._client, name, instruction, datapoints, comparison_budget_per_ranking, responses_per_comparison,
            random_comparisons_ratio, data_type, contexts, media_contexts, settings,
        )

    def get_job_definition_by_id(self, job_definition_id: str) -> JuryJobDefinition:
        """A definition by id (its latest revision); unknown ids raise JuryNotFoundError."""
        data = self._client.request("GET", f"/api/v1/job-definitions/{quote(job_definition_id, safe='')}")["data"]
        return JuryJobDefinition(self._client, data)

    # The reference documents the misspelt name too.
    get_job_defintion_by_id = get_job_definition_by_id

    def find_job_definitions(self, name: str = "", amount: int = 10, page: int = 1) -> list[JuryJobDefinition]:
        """Definitions whose name contains ``name``, newest first."""
        body = self._client.request("GET", "/api/v1/job-definitions", query=find_query(name, amount, page))
        return [JuryJobDefinition(self._client, d) for d in body["data"]]

    def get_job_by_id(self, job_id: str) -> JuryJob:
        return JuryJob(self._client, self._client.request("GET", f"/api/v1/jobs/{quote(job_id, safe='')}")["data"])

    def find_jobs(self, name: str = "", amount: int = 10, page: int = 1, audience_id: str | None = None) -> list[JuryJob]:
        """Jobs whose name contains ``name`` (of ``audience_id`` when given), newest first."""
        query = {**find_query(name, amount, page), "audienceId": audience_id}
        return [JuryJob(self._client, j) for j in self._client.request("GET", "/api/v1/jobs", query=query)["data"]]

    def assign_job(
        self, job_definition: JuryJobDefinition | str, audience: JuryAudience | str, name: str | None = None,
        revision: int | None = None,
    ) -> JuryJob:
        """Starts a job of the definition for the audience (what ``audience.assign_job`` does)."""
        definition_id = job_definition if isinstance(job_definition, str) else job_definition.id
        audience_id = audience if isinstance(audience, str) else audience.id
        payload: dict[str, Any] = {"definitionId": definition_id, "audienceId": audience_id}
        if name is not None:
            payload["name"] = name
        if revision is not None:
            payload["revision"] = revision
        body = self._client.request("POST", "/api/v1/jobs", json=payload)
        for w in body.get("warnings", []):
            log("warning", w)
        return JuryJob(self._client, body["data"])
