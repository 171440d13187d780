"""Typed errors: the Jury error body, the RFC 6749 token body, bodies that are neither; and live: a wrong secret,
an unknown id, a definition the server refuses, a server that is not there."""

from __future__ import annotations

import json
import socket
import unittest

from jury import (
    JuryAuthError,
    JuryClient,
    JuryConflictError,
    JuryError,
    JuryNetworkError,
    JuryNotFoundError,
    JuryRateLimitError,
    JuryServerError,
    JuryValidationError,
)
from jury.errors import error_from_response

from .support import SERVER_URL, live


def jury_body(code: str, message: str = "m", **extra: object) -> str:
    return json.dumps({"error": {"code": code, "message": message, "requestId": "req_1", **extra}})


class ErrorFromResponseTest(unittest.TestCase):
    def test_jury_bodies_give_the_class_of_their_code(self) -> None:
        cases = [
            (400, "VALIDATION_FAILED", JuryValidationError),
            (401, "INVALID_CLIENT", JuryAuthError),
            (401, "UNAUTHENTICATED", JuryAuthError),
            (404, "NOT_FOUND", JuryNotFoundError),
            (409, "CONFLICT", JuryConflictError),
            (429, "RATE_LIMITED", JuryRateLimitError),
            (500, "INTERNAL", JuryServerError),
        ]
        for status, code, cls in cases:
            with self.subTest(code=code):
                err = error_from_response(status, jury_body(code, details={"issues": []}))
                self.assertIs(type(err), cls)
                self.assertEqual((err.code, err.status, err.request_id, err.details), (code, status, "req_1", {"issues": []}))

    def test_rfc_6749_token_errors(self) -> None:
        body = json.dumps({"error": "invalid_client", "error_description": "Wrong secret.", "requestId": "req_2"})
        err = error_from_response(401, body)
        self.assertIsInstance(err, JuryAuthError)
        self.assertEqual((err.code, err.message, err.request_id), ("INVALID_CLIENT", "Wrong secret.", "req_2"))
        err = error_from_response(400, json.dumps({"error": "unsupported_grant_type"}), {"X-Request-Id": "req_3"})
        self.assertIsInstance(err, JuryValidationError)
        self.assertEqual((err.code, err.message, err.request_id), ("UNSUPPORTED_GRANT_TYPE", "unsupported_grant_type", "req_3"))
        self.assertEqual(error_from_response(400, json.dumps({"error": "invalid_request"})).code, "VALIDATION_FAILED")
        limited = error_from_response(429, json.dumps({"error": "temporarily_unavailable"}), {"Retry-After": "12"})
        assert isinstance(limited, JuryRateLimitError)
        self.assertEqual((limited.code, limited.retry_after_seconds), ("RATE_LIMITED", 12.0))

    def test_bodies_that_are_neither_give_a_class_by_status(self) -> None:
        err = error_from_response(502, "<html>Bad gateway</html>", {"x-request-id": "req_4"})
        self.assertIsInstance(err, JuryServerError)
        self.assertIn("Bad gateway", err.message)
        self.assertEqual(err.request_id, "req_4")
        limited = error_from_response(429, "", {"Retry-After": "7"})
        assert isinstance(limited, JuryRateLimitError)
        self.assertEqual(limited.retry_after_seconds, 7.0)
        self.assertIsInstance(error_from_response(404, "gone"), JuryNotFoundError)


@live
class LiveErrorsTest(unittest.TestCase):
    def test_a_wrong_secret_is_invalid_client(self) -> None:
        client = JuryClient(client_id=JuryClient(url=SERVER_URL).client_id, client_secret="wrong", url=SERVER_URL)
        with self.assertRaises(JuryAuthError) as caught:
            client.audience.get_audience_by_id("global")
        self.assertEqual((caught.exception.code, caught.exception.status), ("INVALID_CLIENT", 401))

    def test_unknown_ids_are_not_found(self) -> None:
        client = JuryClient(url=SERVER_URL)
        for call in (
            lambda: client.job.get_job_by_id("job_doesnotexist0000"),
            lambda: client.job.get_job_definition_by_id("jdf_doesnotexist0000"),
            lambda: client.audience.get_audience_by_id("aud_doesnotexist0000"),
        ):
            with self.assertRaises(JuryNotFoundError) as caught:
                call()
            self.assertEqual(caught.exception.code, "NOT_FOUND")
            self.assertTrue(caught.exception.request_id)

    def test_a_definition_the_server_refuses_lists_its_issues(self) -> None:
        client = JuryClient(url=SERVER_URL)
        with self.assertRaises(JuryValidationError) as caught:
            client.job.create_compare_job_definition(
                name="Too long", instruction="x" * 251, datapoints=[["a", "b"]], data_type="text"
            )
        self.assertEqual((caught.exception.code, caught.exception.status), ("VALIDATION_FAILED", 400))
        self.assertIn("instruction", json.dumps(caught.exception.details))

    def test_checked_before_anything_uploads(self) -> None:
        client = JuryClient(url=SERVER_URL)
        with self.assertRaises(JuryValidationError) as caught:
            client.job.create_compare_job_definition(
                name="Pairs", instruction="Which?", datapoints=[["a", "a"], ["b"]], contexts=["one"], data_type="text"
            )
        message = caught.exception.message
        for part in ("datapoints.0", "datapoints.1", "contexts: 1 given for 2 datapoints"):
            self.assertIn(part, message)
        self.assertEqual(caught.exception.status, 0)

    def test_no_server_is_a_network_error(self) -> None:
        with socket.socket() as s:
            s.bind(("127.0.0.1", 0))
            port = s.getsockname()[1]
        client = JuryClient(client_id="cli_x", client_secret="s", url=f"http://127.0.0.1:{port}")
        with self.assertRaises(JuryNetworkError) as caught:
            client.get_token()
        self.assertEqual(caught.exception.code, "NETWORK_ERROR")
        self.assertIn("jury serve", caught.exception.message)
        self.assertIsInstance(caught.exception, JuryError)


if __name__ == "__main__":
    unittest.main()


class RetriesTest(unittest.TestCase):
    """Uploads retry network errors, 429 and 5xx with backoff, never another 4xx."""

    def run_with(self, errors: list[JuryError], max_retries: int) -> tuple[str, int]:
        from jury.assets import with_retries

        calls = 0

        def attempt() -> str:
            nonlocal calls
            calls += 1
            if errors:
                raise errors.pop(0)
            return "done"

        return with_retries(attempt, max_retries, 0.001, "test"), calls

    def test_transient_failures_are_retried(self) -> None:
        limited = JuryRateLimitError("RATE_LIMITED", "slow down", 429)
        limited.retry_after_seconds = 0.01
        transient: list[JuryError] = [
            JuryServerError("INTERNAL", "boom", 500),
            JuryNetworkError("NETWORK_ERROR", "reset"),
            limited,
        ]
        self.assertEqual(self.run_with(transient, 3), ("done", 4))

    def test_other_errors_and_exhausted_retries_raise(self) -> None:
        with self.assertRaises(JuryValidationError):
            self.run_with([JuryValidationError("VALIDATION_FAILED", "no", 400)], 3)
        with self.assertRaises(JuryServerError):
            self.run_with([JuryServerError("INTERNAL", "a", 500), JuryServerError("INTERNAL", "b", 500)], 1)
