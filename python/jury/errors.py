# pyright: strict, reportUnnecessaryIsInstance=false
"""Typed errors, mirroring @jury/sdk's: one class per kind of failure, a stable ``code`` to match on."""

from __future__ import annotations

import json
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import datetime
from typing import TYPE_CHECKING, Any, cast

if TYPE_CHECKING:
    from .jobs import JuryJobDefinition


class JuryError(Exception):
    """Every error the client raises. ``code`` is stable (match on it, never on the message); ``status``,
    ``details`` and ``request_id`` come from the server's error body (``status`` 0 when no answer came)."""

    def __init__(
        self,
        code: str,
        message: str,
        status: int = 0,
        details: Any = None,
        request_id: str | None = None,
    ) -> None:
        super().__init__(message)
        self.code = code
        self.message = message
        self.status = status
        self.details = details
        self.request_id = request_id


class JuryValidationError(JuryError):
    """The request was rejected as invalid (400, 413, 415, 416, 422); ``details`` lists the issues."""


class JuryAuthError(JuryError):
    """Missing, expired, revoked or wrong credentials or token (401)."""


class JuryForbiddenError(JuryError):
    """Authenticated but not allowed (403)."""


class JuryNotFoundError(JuryError):
    """No such resource in your organization (404); other organizations' ids also give this."""


class JuryConflictError(JuryError):
    """The resource's state does not allow the operation (409)."""


class JuryRateLimitError(JuryError):
    """Too many requests (429); ``retry_after_seconds`` from the Retry-After header when sent."""

    retry_after_seconds: float | None = None


class JuryServerError(JuryError):
    """The server failed (5xx); report the ``request_id`` to the administrator."""


class JuryNetworkError(JuryError):
    """No answer: the server is down, unreachable, or the connection broke."""


class JuryCredentialsError(JuryError):
    """No client credentials found (arguments, JURY_* variables or the credentials file)."""


class JuryItemError(JuryError):
    """A datapoint item is neither an http(s) URL, an existing file, nor text where text is allowed."""


class JuryTimeoutError(JuryError):
    """Waiting for a job gave up after ``timeout`` seconds (code ``TIMEOUT``)."""


class JuryJobStalledError(JuryError):
    """A job cannot progress and waiting gave up (code ``JOB_STALLED``); ``stall`` is the server's reason."""

    def __init__(self, message: str, stall: Mapping[str, Any], details: Any = None) -> None:
        super().__init__("JOB_STALLED", message, details=details)
        self.stall = dict(stall)


@dataclass
class FailedUpload:
    """Why one datapoint did not make it into the job definition (the reference SDK's ``FailedUpload``).
    ``item`` is the datapoint as you gave it: ``{"index", "datapoint", "context"?, ...}``."""

    item: dict[str, Any]
    error_message: str
    error_type: str
    timestamp: datetime = field(default_factory=datetime.now)
    exception: BaseException | None = None


class FailedUploadException(JuryError):
    """Some datapoints could not be uploaded. The job definition is still created with those that did
    (``job_definition``; None when none did, then nothing was created). ``retry_failed()`` uploads the failed
    ones again and adds them to the definition."""

    def __init__(
        self,
        job_definition: JuryJobDefinition | None,
        failed_uploads: list[FailedUpload],
        total: int,
        retry: Any = None,
    ) -> None:
        reasons: dict[str, int] = {}
        for f in failed_uploads:
            detail = f.error_message if f.exception is None else f"{f.error_message}: {f.exception}"
            reasons[detail] = reasons.get(detail, 0) + 1
        head = (
            f"job definition {job_definition.id} has the other {total - len(failed_uploads)}."
            if job_definition is not None
            else "no job definition was created."
        )
        lines = [f"{len(failed_uploads)} of {total} datapoints failed to upload; {head}"]
        lines += [f"  {n} × {reason}" for reason, n in reasons.items()]
        super().__init__(
            "UPLOAD_FAILED",
            "\n".join(lines),
            details=[
                {"index": f.item["index"], "errorType": f.error_type, "errorMessage": f.error_message}
                for f in failed_uploads
            ],
        )
        self.job_definition = job_definition
        self.failed_uploads = failed_uploads
        self._retry = retry

    @property
    def detailed_failures(self) -> list[FailedUpload]:
        """Every failure with its error type, time and underlying exception."""
        return list(self.failed_uploads)

    @property
    def failures_by_reason(self) -> dict[str, list[dict[str, Any]]]:
        """The failed datapoints grouped by error message."""
        out: dict[str, list[dict[str, Any]]] = {}
        for f in self.failed_uploads:
            out.setdefault(f.error_message, []).append(f.item)
        return out

    def retry_failed(self) -> JuryJobDefinition:
        """Uploads the failed datapoints again and adds those that now succeed; raises anew for any that fail."""
        if self._retry is None:
            raise JuryError("UPLOAD_FAILED", "Nothing to retry.")
        result: JuryJobDefinition = self._retry(self.failed_uploads)
        return result


_CLASS_BY_CODE: dict[str, type[JuryError]] = {
    "BAD_REQUEST": JuryValidationError,
    "VALIDATION_FAILED": JuryValidationError,
    "UNSUPPORTED_GRANT_TYPE": JuryValidationError,
    "PAYLOAD_TOO_LARGE": JuryValidationError,
    "HEADERS_TOO_LARGE": JuryValidationError,
    "REQUEST_TIMEOUT": JuryServerError,
    "UNSUPPORTED_MEDIA_TYPE": JuryValidationError,
    "RANGE_NOT_SATISFIABLE": JuryValidationError,
    "URL_UNREACHABLE": JuryValidationError,
    "UNAUTHENTICATED": JuryAuthError,
    "INVALID_CLIENT": JuryAuthError,
    "INVALID_CREDENTIALS": JuryAuthError,
    "FORBIDDEN": JuryForbiddenError,
    "CSRF_REJECTED": JuryForbiddenError,
    "NOT_FOUND": JuryNotFoundError,
    "INVALID_LINK": JuryNotFoundError,
    "CONFLICT": JuryConflictError,
    "RATE_LIMITED": JuryRateLimitError,
    "INTERNAL": JuryServerError,
}

# RFC 6749 §5.2 token errors, as the token route answers them once it speaks the standard.
_OAUTH_CODES = {
    "invalid_client": "INVALID_CLIENT",
    "invalid_request": "VALIDATION_FAILED",
    "unsupported_grant_type": "UNSUPPORTED_GRANT_TYPE",
    "invalid_grant": "INVALID_CLIENT",
    "unauthorized_client": "INVALID_CLIENT",
    "invalid_scope": "VALIDATION_FAILED",
    # 429 with Retry-After: the token route's rate limits (per client id, per address).
    "temporarily_unavailable": "RATE_LIMITED",
}

_CODE_FOR_STATUS = {
    400: "BAD_REQUEST",
    401: "UNAUTHENTICATED",
    403: "FORBIDDEN",
    404: "NOT_FOUND",
    408: "REQUEST_TIMEOUT",
    409: "CONFLICT",
    410: "INVALID_LINK",
    413: "PAYLOAD_TOO_LARGE",
    415: "UNSUPPORTED_MEDIA_TYPE",
    416: "RANGE_NOT_SATISFIABLE",
    422: "URL_UNREACHABLE",
    429: "RATE_LIMITED",
    431: "HEADERS_TOO_LARGE",
}


def as_object(value: Any) -> dict[str, Any] | None:
    """A parsed JSON value as an object, or None when it is not one."""
    return cast("dict[str, Any]", value) if isinstance(value, dict) else None


def error_from_response(status: int, body: str, headers: Mapping[str, str] | None = None) -> JuryError:
    """The one place server errors are built, from a non-2xx answer: the Jury body
    ``{"error": {"code", "message", "details"?, "requestId"}}``, the RFC 6749 token body
    ``{"error": "invalid_client", "error_description": ...}``, or (a proxy's page) a class chosen by the status."""
    lower = {k.lower(): v for k, v in (headers or {}).items()}
    request_id = lower.get("x-request-id")
    try:
        parsed = as_object(json.loads(body))
    except ValueError:
        parsed = None
    error: JuryError
    raw_inner: Any = parsed.get("error") if parsed is not None else None
    inner = as_object(raw_inner)
    if inner is not None and isinstance(inner.get("code"), str) and isinstance(inner.get("message"), str):
        code: str = inner["code"]
        cls = _CLASS_BY_CODE.get(code, JuryServerError if status >= 500 else JuryError)
        error = cls(code, inner["message"], status, inner.get("details"), inner.get("requestId") or request_id)
    elif isinstance(raw_inner, str) and parsed is not None:
        code = _OAUTH_CODES.get(raw_inner, "INVALID_CLIENT" if status == 401 else "BAD_REQUEST")
        description: Any = parsed.get("error_description")
        message = description if isinstance(description, str) and description else raw_inner
        rid: Any = parsed.get("requestId") if isinstance(parsed.get("requestId"), str) else request_id
        error = _CLASS_BY_CODE[code](code, message, status, {"error": raw_inner}, rid)
    else:
        code = _CODE_FOR_STATUS.get(status, "INTERNAL" if status >= 500 else "BAD_REQUEST")
        snippet = body.strip()[:200]
        error = _CLASS_BY_CODE[code](
            code, f"HTTP {status} without a Jury error body{': ' + snippet if snippet else ''}", status, None, request_id
        )
    if isinstance(error, JuryRateLimitError):
        try:
            error.retry_after_seconds = max(0.0, float(lower.get("retry-after", "")))
        except ValueError:
            error.retry_after_seconds = None
    return error
