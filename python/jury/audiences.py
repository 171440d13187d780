# pyright: strict, reportUnnecessaryIsInstance=false
"""``client.audience``: the global audience, custom audiences (qualification examples) and filtered ones."""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING, Any, overload
from urllib.parse import quote

from .errors import JuryValidationError
from .flows import JuryRankingJob, JuryRankingJobDefinition
from .http import all_pages
from .jobs import JuryJob, JuryJobDefinition, find_query
from .settings import JurySetting, setting_names

if TYPE_CHECKING:
    from .client import JuryClient


class JuryFilter:
    """A labeler filter; ``&``, ``|`` and ``~`` combine filters like the reference SDK's."""

    def to_json(self) -> dict[str, Any]:
        raise NotImplementedError

    def __and__(self, other: JuryFilter) -> AndFilter:
        return AndFilter([self, other])

    def __or__(self, other: JuryFilter) -> OrFilter:
        return OrFilter([self, other])

    def __invert__(self) -> NotFilter:
        return NotFilter(self)


class CountryFilter(JuryFilter):
    """Labelers whose profile country is one of these ISO 3166 codes (e.g. ``["US", "CA"]``)."""

    def __init__(self, country_codes: Sequence[str]) -> None:
        self.country_codes = [c.upper() for c in country_codes]

    def to_json(self) -> dict[str, Any]:
        return {"type": "country", "countries": self.country_codes}


class LanguageFilter(JuryFilter):
    """Labelers whose profile language is one of these ISO 639-1 codes (e.g. ``["en"]``)."""

    def __init__(self, language_codes: Sequence[str]) -> None:
        self.language_codes = [c.lower() for c in language_codes]

    def to_json(self) -> dict[str, Any]:
        return {"type": "language", "languages": self.language_codes}


class AndFilter(JuryFilter):
    def __init__(self, filters: Sequence[JuryFilter]) -> None:
        self.filters = list(filters)

    def to_json(self) -> dict[str, Any]:
        return {"type": "and", "filters": [f.to_json() for f in self.filters]}


class OrFilter(JuryFilter):
    def __init__(self, filters: Sequence[JuryFilter]) -> None:
        self.filters = list(filters)

    def to_json(self) -> dict[str, Any]:
        return {"type": "or", "filters": [f.to_json() for f in self.filters]}


class NotFilter(JuryFilter):
    def __init__(self, filter: JuryFilter) -> None:
        self.filter = filter

    def to_json(self) -> dict[str, Any]:
        return {"type": "not", "filter": self.filter.to_json()}


def _invalid(message: str) -> JuryValidationError:
    return JuryValidationError("VALIDATION_FAILED", message)


class JuryAudience:
    """An audience (the reference SDK's ``RapidataAudience``): ``global`` (every labeler) or a custom one whose
    labelers qualify by answering its examples."""

    def __init__(self, client: JuryClient, data: dict[str, Any]) -> None:
        self._client = client
        self.id: str = data["id"]
        self.name: str = data["name"]
        self.kind: str = data["kind"]
        self.filters: list[dict[str, Any]] = list(data.get("filters") or [])
        self.pass_rule: dict[str, Any] | None = data.get("passRule")

    def __repr__(self) -> str:
        return f"{type(self).__name__}(id={self.id!r}, name={self.name!r})"

    @overload
    def assign_job(self, job_definition: JuryRankingJobDefinition, name: str | None = None) -> JuryRankingJob: ...
    @overload
    def assign_job(self, job_definition: JuryJobDefinition | str, name: str | None = None) -> JuryJob: ...
    def assign_job(
        self, job_definition: JuryJobDefinition | JuryRankingJobDefinition | str, name: str | None = None
    ) -> JuryJob | JuryRankingJob:
        """Starts a job of the definition for this audience, one task per datapoint (a ranking job definition: one
        ranking per datapoint)."""
        if isinstance(job_definition, JuryRankingJobDefinition):
            return job_definition.assign_to(self.id, name)
        return self._client.job.assign_job(job_definition, self.id, name=name)

    def find_jobs(self, name: str = "", amount: int = 10, page: int = 1) -> list[JuryJob]:
        return self._client.job.find_jobs(name, amount, page, audience_id=self.id)

    def delete(self) -> None:
        if self.kind == "global":
            raise _invalid("The global audience cannot be deleted; it is every labeler.")
        self._client.request("DELETE", f"/api/v1/audiences/{quote(self.id, safe='')}")

    def get_stats(self) -> dict[str, Any]:
        """Labelers by qualification state and the number of examples."""
        data: dict[str, Any] = self._client.request("GET", f"/api/v1/audiences/{quote(self.id, safe='')}/stats")["data"]
        return data

    def get_examples(self, amount: int = 10, page: int = 1, purpose: str | None = None) -> list[dict[str, Any]]:
        """The examples (qualification and gold, each with its ``purpose``), in sort order; ``purpose`` keeps one
        pool (``'qualification'`` or ``'gold'``)."""
        query = find_query("", amount, page)
        if purpose is not None:
            if purpose not in ("qualification", "gold"):
                raise _invalid(f"purpose is 'qualification' or 'gold'; got {purpose!r}.")
            query["purpose"] = purpose
        if self.kind == "global":
            return []
        data: list[dict[str, Any]] = self._client.request("GET", f"{self._path()}/examples", query=query)["data"]
        return data

    def get_recruitment(self) -> dict[str, Any]:
        """How labelers get into the audience: mode ``open``, ``invite`` or ``study`` (see docs/prolific.md)."""
        data: dict[str, Any] = self._client.request("GET", f"{self._path()}/recruitment")["data"]
        return data

    def set_recruitment(self, mode: str, study: dict[str, Any] | None = None) -> dict[str, Any]:
        """Sets the recruitment mode; ``study`` (mode ``study`` only): ``completionCode``, ``screenedOutCode``, …"""
        body: dict[str, Any] = {"mode": mode} if study is None else {"mode": mode, "study": study}
        data: dict[str, Any] = self._client.request("PUT", f"{self._path()}/recruitment", json=body)["data"]
        return data

    def create_invite(self, kind: str, max_uses: int | None = None, label: str | None = None) -> dict[str, Any]:
        """An invite link, ``single`` (one person) or ``shared`` (up to ``max_uses``); its ``url`` is shown only now."""
        body: dict[str, Any] = {"kind": kind}
        if max_uses is not None:
            body["maxUses"] = max_uses
        if label is not None:
            body["label"] = label
        data: dict[str, Any] = self._client.request("POST", f"{self._path()}/invites", json=body)["data"]
        return data

    def list_invites(self) -> list[dict[str, Any]]:
        """The audience's invite links, newest first (uses and state, not the URLs)."""
        return all_pages(
            lambda cursor, amount: self._client.request(
                "GET", f"{self._path()}/invites", query={"cursor": cursor, "amount": amount}
            )
        )

    def revoke_invite(self, invite_id: str) -> None:
        """Revokes an invite link: it admits nobody more (labelers it let in keep their place)."""
        self._client.request("DELETE", f"{self._path()}/invites/{quote(invite_id, safe='')}")

    def _path(self) -> str:
        return f"/api/v1/audiences/{quote(self.id, safe='')}"

    def _require_custom(self) -> None:
        if self.kind != "custom":
            raise _invalid(
                f"The {self.kind} audience {self.id} takes no qualification examples; create a custom audience "
                "with client.audience.create_audience()."
            )

    def _example(self, body: dict[str, Any], context: str | None, media_context: list[str] | None,
                 explanation: str | None, settings: Sequence[JurySetting | str] | None,
                 purpose: str) -> dict[str, Any]:
        if purpose not in ("qualification", "gold"):
            raise _invalid(f"purpose is 'qualification' or 'gold'; got {purpose!r}.")
        body["purpose"] = purpose
        if context is not None:
            body["context"] = context
        if media_context is not None:
            body["mediaContext"] = [self._client.assets.resolve_item(m, "media") for m in media_context]
        if explanation is not None:
            body["explanation"] = explanation
        if settings is not None:
            body["settings"] = setting_names(settings)
        data: dict[str, Any] = self._client.request(
            "POST", f"/api/v1/audiences/{quote(self.id, safe='')}/examples", json=body
        )["data"]
        return data

    def add_compare_example(
        self, instruction: str, datapoint: list[str], truth: str, context: str | None = None,
        media_context: list[str] | None = None, explanation: str | None = None, data_type: str = "media",
        settings: Sequence[JurySetting | str] | None = None, purpose: str = "qualification",
    ) -> dict[str, Any]:
        """A compare example: two items and the correct one (``truth`` is one of them). ``purpose="gold"`` adds it
        to the secret gold pool (checks among the tasks, never in qualification, never with feedback)."""
        self._require_custom()
        if not isinstance(datapoint, (list, tuple)) or len(datapoint) != 2 or truth not in datapoint:
            raise _invalid("A compare example is two items, and truth is one of them exactly.")
        items = [self._client.assets.resolve_item(i, "text" if data_type == "text" else "media") for i in datapoint]
        names = [i.get("text", i.get("name")) for i in items]
        body = {"taskType": "compare", "instruction": instruction, "dataType": data_type, "datapoint": items,
                "truth": names[list(datapoint).index(truth)]}
        return self._example(body, context, media_context, explanation, settings, purpose)

    def add_classification_example(
        self, instruction: str, answer_options: list[str], datapoint: str, truth: list[str] | str,
        context: str | None = None, media_context: list[str] | None = None, explanation: str | None = None,
        data_type: str = "media", settings: Sequence[JurySetting | str] | None = None, purpose: str = "qualification",
    ) -> dict[str, Any]:
        """A classification example: one item, the options, and the correct option(s); ``purpose`` as for
        ``add_compare_example``."""
        self._require_custom()
        item = self._client.assets.resolve_item(datapoint, "text" if data_type == "text" else "media")
        body = {"taskType": "classification", "instruction": instruction, "dataType": data_type,
                "answerOptions": answer_options, "datapoint": item,
                "truth": [truth] if isinstance(truth, str) else list(truth)}
        return self._example(body, context, media_context, explanation, settings, purpose)

    def filter(self, filters: Sequence[JuryFilter], name: str | None = None) -> JuryFilteredAudience:
        """This audience's admitted labelers who match every filter (the reference's ``RapidataFilteredAudience``)."""
        if not filters:
            raise _invalid("filter takes at least one filter.")
        body: dict[str, Any] = {"filters": [f.to_json() for f in filters]}
        if name is not None:
            body["name"] = name
        data = self._client.request("POST", f"/api/v1/audiences/{quote(self.id, safe='')}/filter", json=body)["data"]
        return JuryFilteredAudience(self._client, data)


class JuryFilteredAudience(JuryAudience):
    """A filtered audience (``fau_…``): assign and find jobs, stats, delete; no examples, no further filter."""

    def add_compare_example(self, *args: Any, **kwargs: Any) -> dict[str, Any]:
        raise _invalid("A filtered audience has no examples of its own; add them to its base audience.")

    def add_classification_example(self, *args: Any, **kwargs: Any) -> dict[str, Any]:
        raise _invalid("A filtered audience has no examples of its own; add them to its base audience.")

    def filter(self, filters: Sequence[JuryFilter], name: str | None = None) -> JuryFilteredAudience:
        raise _invalid("A filtered audience cannot be filtered again; combine the filters on its base audience.")


def _handle(client: JuryClient, data: dict[str, Any]) -> JuryAudience:
    return (JuryFilteredAudience if data["kind"] == "filtered" else JuryAudience)(client, data)


class AudienceManager:
    """``client.audience`` (the reference SDK's ``RapidataAudienceManager``)."""

    def __init__(self, client: JuryClient) -> None:
        self._client = client

    def get_audience_by_id(self, audience_id: str) -> JuryAudience:
        """``"global"``, or one of your audiences; unknown ids raise JuryNotFoundError."""
        if not isinstance(audience_id, str) or not audience_id.strip():
            raise _invalid("Give an audience id.")
        return _handle(self._client, self._client.request("GET", f"/api/v1/audiences/{quote(audience_id, safe='')}")["data"])

    def find_audiences(self, name: str = "", amount: int = 10, page: int = 1) -> list[JuryAudience]:
        body = self._client.request("GET", "/api/v1/audiences", query=find_query(name, amount, page))
        return [_handle(self._client, a) for a in body["data"]]

    def create_audience(
        self, name: str, filters: Sequence[JuryFilter] | None = None, target_accuracy: float | None = None,
        min_examples: int | None = None, show_qualification_feedback: bool | None = None,
    ) -> JuryAudience:
        """A custom audience; labelers join by answering its examples with accuracy ≥ ``target_accuracy``.
        ``show_qualification_feedback=False`` tells a qualification answer nothing (no grade, truth or explanation)."""
        if not isinstance(name, str) or not name.strip():
            raise _invalid("Give the audience a name.")
        body: dict[str, Any] = {"name": name}
        if show_qualification_feedback is not None:
            if not isinstance(show_qualification_feedback, bool):
                raise _invalid("show_qualification_feedback is True or False.")
            body["showQualificationFeedback"] = show_qualification_feedback
        rule = {k: v for k, v in (("targetAccuracy", target_accuracy), ("minExamples", min_examples)) if v is not None}
        if rule:
            body["passRule"] = rule
        if filters:
            body["filters"] = [f.to_json() for f in filters]
        return _handle(self._client, self._client.request("POST", "/api/v1/audiences", json=body)["data"])
