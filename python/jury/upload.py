# pyright: strict, reportUnnecessaryIsInstance=false
"""The upload pipeline of job definitions (as @jury/sdk's jobs/upload.ts): resolve every distinct item once through
a bounded thread pool, keep the datapoints whose items all resolved, send those in chunks, report the rest."""

from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, cast

from .config import jury_config, log
from .errors import FailedUpload, FailedUploadException, JuryError, JuryValidationError

if TYPE_CHECKING:
    from .client import JuryClient
    from .jobs import JuryJobDefinition

# Datapoints per request; larger definitions are created with the first chunk and extended with the rest.
DATAPOINTS_PER_REQUEST = 500
ASSET_FAILED = "One or more required assets failed to upload"


@dataclass
class DatapointSet:
    type: str  # "compare" | "classification"
    data_type: str
    datapoints: list[Any]
    contexts: list[str] | None = None
    media_contexts: list[list[str]] | None = None
    private_metadata: list[dict[str, str]] | None = None

    def items_of(self, i: int) -> list[str]:
        dp = self.datapoints[i]
        return [dp] if isinstance(dp, str) else list(dp)

    def input_of(self, i: int) -> dict[str, Any]:
        """The datapoint as the caller gave it, for failure reports."""
        dp = self.datapoints[i]
        out: dict[str, Any] = {"index": i, "datapoint": dp if isinstance(dp, str) else list(dp)}
        if self.contexts is not None:
            out["context"] = self.contexts[i]
        if self.media_contexts is not None:
            out["media_context"] = list(self.media_contexts[i])
        if self.private_metadata is not None:
            out["private_metadata"] = self.private_metadata[i]
        return out


def check_datapoints(s: DatapointSet) -> None:
    """The rules worth checking before anything uploads (the server checks every rule again)."""
    issues: list[str] = []
    if not isinstance(s.datapoints, list) or len(s.datapoints) == 0:
        issues.append("datapoints: at least one datapoint is required (a list).")
    else:
        dp: Any
        for i, dp in enumerate(s.datapoints):
            if s.type == "compare":
                pair: list[Any] = list(cast("list[Any]", dp)) if isinstance(dp, (list, tuple)) else []
                if len(pair) != 2 or not all(isinstance(x, str) and x.strip() for x in pair):
                    issues.append(f"datapoints.{i}: a compare datapoint is a list of exactly two items.")
                elif dp[0] == dp[1]:
                    issues.append(f"datapoints.{i}: the two items must differ; {dp[0]!r} is there twice.")
            elif not isinstance(dp, str) or not dp.strip():
                issues.append(f"datapoints.{i}: a classification datapoint is one non-empty item.")
        n = len(s.datapoints)
        for name, values in (("contexts", s.contexts), ("media_contexts", s.media_contexts), ("private_metadata", s.private_metadata)):
            if values is not None and len(values) != n:
                issues.append(f"{name}: {len(values)} given for {n} datapoints; give one per datapoint, in order.")
    if s.data_type not in ("media", "text"):
        issues.append(f'data_type: "media" or "text"; got {s.data_type!r}.')
    if issues:
        raise JuryValidationError(
            "VALIDATION_FAILED",
            "Invalid job definition (nothing was uploaded):\n" + "\n".join(f"  {i}" for i in issues),
            details={"issues": issues},
        )


def _resolve_all(client: JuryClient, s: DatapointSet, indices: list[int]) -> dict[tuple[str, str], dict[str, str] | BaseException]:
    work: dict[tuple[str, str], None] = {}
    for i in indices:
        for item in s.items_of(i):
            work[(s.data_type, item)] = None
        for item in (s.media_contexts[i] if s.media_contexts is not None else []):
            work[("media", item)] = None
    keys = list(work)
    outcome: dict[tuple[str, str], dict[str, str] | BaseException] = {}

    def resolve(key: tuple[str, str]) -> dict[str, str]:
        return client.assets.resolve_item(key[1], "text" if key[0] == "text" else "media")

    with ThreadPoolExecutor(max_workers=max(1, min(jury_config.upload.maxWorkers, len(keys) or 1))) as pool:
        futures = {key: pool.submit(resolve, key) for key in keys}
        for key, future in futures.items():
            try:
                outcome[key] = future.result()
            except Exception as err:  # every failure is reported per datapoint
                outcome[key] = err
    return outcome


def _fields(s: DatapointSet, chunk: list[dict[str, Any]]) -> dict[str, Any]:
    out: dict[str, Any] = {
        "datapoints": [d["items"] if s.type == "compare" else d["items"][0] for d in chunk],
    }
    if s.contexts is not None:
        out["contexts"] = [d["context"] for d in chunk]
    if s.media_contexts is not None:
        out["mediaContexts"] = [d["media_context"] for d in chunk]
    if s.private_metadata is not None:
        out["privateMetadata"] = [d["private_metadata"] for d in chunk]
    return out


def upload_definition(
    client: JuryClient,
    s: DatapointSet,
    indices: list[int],
    existing: JuryJobDefinition | None,
    create_body: dict[str, Any] | None,
) -> JuryJobDefinition:
    """Uploads the given datapoints and creates the definition (``create_body``) or extends ``existing``; raises a
    FailedUploadException (with the definition made of what did upload, and a retry) when some fail."""
    from .jobs import JuryJobDefinition

    outcome = _resolve_all(client, s, indices)
    ready: list[dict[str, Any]] = []
    failed: list[FailedUpload] = []
    for i in indices:
        keyed = [((s.data_type, item), item) for item in s.items_of(i)]
        media = [(("media", item), item) for item in (s.media_contexts[i] if s.media_contexts is not None else [])]
        errors = [(item, outcome[key]) for key, item in keyed + media if isinstance(outcome[key], BaseException)]
        if errors:
            first = errors[0][1]
            failed.append(
                FailedUpload(
                    item=s.input_of(i),
                    error_message=ASSET_FAILED,
                    error_type="AssetUploadFailed",
                    exception=first if isinstance(first, BaseException) else None,
                )
            )
            continue
        ready.append(
            {
                "index": i,
                "items": [outcome[key] for key, _ in keyed],
                "context": s.contexts[i] if s.contexts is not None else None,
                "media_context": [outcome[key] for key, _ in media],
                "private_metadata": s.private_metadata[i] if s.private_metadata is not None else None,
            }
        )
    definition = existing
    definition_id = existing.id if existing is not None else None
    for start in range(0, len(ready), DATAPOINTS_PER_REQUEST):
        chunk = ready[start : start + DATAPOINTS_PER_REQUEST]
        if definition_id is None:
            created = client.request("POST", "/api/v1/job-definitions", json={**(create_body or {}), **_fields(s, chunk)})
            for w in created.get("warnings", []):
                log("warning", w)
            definition = JuryJobDefinition(client, created["data"])
            definition_id = definition.id
            continue
        try:
            added = client.request("POST", f"/api/v1/job-definitions/{definition_id}/datapoints", json=_fields(s, chunk))
            definition = JuryJobDefinition(client, added["data"])
        except JuryError as err:
            for d in chunk:
                failed.append(FailedUpload(item=s.input_of(d["index"]), error_message=err.message, error_type=err.code, exception=err))
    if failed:
        failed.sort(key=lambda f: int(f.item["index"]))
        made = definition

        def retry(failures: list[FailedUpload]) -> JuryJobDefinition:
            return upload_definition(client, s, [int(f.item["index"]) for f in failures], made, create_body)

        raise FailedUploadException(made, failed, len(indices), retry)
    assert definition is not None
    return definition
