"""Where JuryClient's URL and credentials come from: the TypeScript SDK's order (arguments, JURY_* variables, the
credentials file), and the same server-URL rules. No server needed."""

from __future__ import annotations

import json
import os
import unittest
from pathlib import Path

from jury import JuryClient, JuryCredentialsError, JuryValidationError, parse_server_url, resolve_connection
from jury.credentials import credentials_path

from .support import TempDir


def write_credentials(path: Path, clients: list[dict[str, object]]) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps({"clients": clients}))


def entry(client_id: str, endpoint: str, last_used: str | None = None) -> dict[str, object]:
    return {
        "displayName": client_id,
        "clientId": client_id,
        "clientSecret": f"secret-of-{client_id}",
        "endpoint": endpoint,
        "createdAt": "2026-01-01T00:00:00.000Z",
        "lastUsed": last_used,
    }


class ServerUrlTest(unittest.TestCase):
    def test_forms_like_the_typescript_sdk(self) -> None:
        cases = {
            "localhost:8787": "http://localhost:8787",
            "http://localhost:8787/": "http://localhost:8787",
            "http://localhost:8787/api/v1/": "http://localhost:8787",
            "https://jury.example.com/prefix/": "https://jury.example.com/prefix",
            "HTTP://LOCALHOST:80": "http://localhost",
            "127.0.0.1:9000/api": "http://127.0.0.1:9000",
        }
        for given, expected in cases.items():
            with self.subTest(given=given):
                self.assertEqual(parse_server_url(given), expected)

    def test_refuses_what_is_no_server_address(self) -> None:
        for given in ["jury.example.com", "ftp://x.org", "http://localhost:8787/?a=1", "http://u:p@localhost"]:
            with self.subTest(given=given), self.assertRaises(JuryValidationError) as caught:
                parse_server_url(given, "JURY_URL")
            self.assertIn("JURY_URL", caught.exception.message)


class ResolutionTest(unittest.TestCase):
    def setUp(self) -> None:
        self.tmp = TempDir()
        self.file = self.tmp.path / "credentials.json"

    def tearDown(self) -> None:
        self.tmp.cleanup()

    def resolve(self, env: dict[str, str], **kwargs: str):  # type: ignore[no-untyped-def]
        return resolve_connection(credentials_file=self.file, env=env, **kwargs)

    def test_arguments_beat_variables_and_the_file(self) -> None:
        write_credentials(self.file, [entry("cli_file", "http://localhost:1")])
        env = {"JURY_CLIENT_ID": "cli_env", "JURY_CLIENT_SECRET": "s_env", "JURY_URL": "http://localhost:2"}
        r = self.resolve(env, client_id="cli_arg", client_secret="s_arg")
        self.assertEqual((r.client_id, r.client_secret, r.url, r.source), ("cli_arg", "s_arg", "http://localhost:2", "arguments"))
        r = self.resolve(env, client_id="cli_arg", client_secret="s_arg", url="localhost:3")
        self.assertEqual(r.url, "http://localhost:3")

    def test_variables_beat_the_file_and_empty_counts_as_unset(self) -> None:
        write_credentials(self.file, [entry("cli_file", "http://localhost:1")])
        r = self.resolve({"JURY_CLIENT_ID": "cli_env", "JURY_CLIENT_SECRET": "s_env"})
        self.assertEqual((r.client_id, r.url, r.source), ("cli_env", "http://localhost:8787", "environment"))
        r = self.resolve({"JURY_CLIENT_ID": "", "JURY_CLIENT_SECRET": "", "JURY_URL": ""})
        self.assertEqual((r.client_id, r.url, r.source), ("cli_file", "http://localhost:1", "credentials-file"))

    def test_half_given_credentials_say_what_is_missing(self) -> None:
        with self.assertRaises(JuryCredentialsError) as caught:
            self.resolve({"JURY_CLIENT_ID": "cli_env"})
        self.assertIn("only JURY_CLIENT_ID is set", caught.exception.message)
        with self.assertRaises(JuryCredentialsError) as caught:
            self.resolve({}, client_secret="s")
        self.assertIn("only client_secret was given", caught.exception.message)

    def test_the_file_entry_for_the_url_else_the_most_recently_used(self) -> None:
        write_credentials(
            self.file,
            [
                entry("cli_old", "http://localhost:1", "2026-01-02T00:00:00.000Z"),
                entry("cli_new", "http://localhost:2/", "2026-03-01T00:00:00.000Z"),
                {"clientId": "broken"},
            ],
        )
        self.assertEqual(self.resolve({}).client_id, "cli_new")
        self.assertEqual(self.resolve({}).url, "http://localhost:2")
        self.assertEqual(self.resolve({"JURY_URL": "http://localhost:1/api/v1"}).client_id, "cli_old")
        with self.assertRaises(JuryCredentialsError) as caught:
            self.resolve({"JURY_URL": "http://localhost:3"})
        self.assertIn("it has entries for http://localhost:1, http://localhost:2/", caught.exception.message)

    def test_no_credentials_says_how_to_get_some(self) -> None:
        with self.assertRaises(JuryCredentialsError) as caught:
            self.resolve({})
        self.assertEqual(caught.exception.code, "NO_CREDENTIALS")
        self.assertIn("jury serve", caught.exception.message)
        self.file.write_text("{not json")
        with self.assertRaises(JuryCredentialsError) as caught:
            self.resolve({})
        self.assertIn("not valid JSON", caught.exception.message)

    def test_a_malformed_url_is_named_before_credentials(self) -> None:
        with self.assertRaises(JuryValidationError):
            self.resolve({"JURY_URL": "jury.example.com", "JURY_CLIENT_ID": "a", "JURY_CLIENT_SECRET": "b"})

    def test_the_default_file_is_under_home(self) -> None:
        saved = os.environ.get("HOME")
        os.environ["HOME"] = str(self.tmp.path)
        try:
            self.assertEqual(credentials_path(), self.tmp.path / ".config" / "jury" / "credentials.json")
            write_credentials(credentials_path(), [entry("cli_home", "http://localhost:4")])
            client = JuryClient(env={})
            self.assertEqual((client.client_id, client.url), ("cli_home", "http://localhost:4"))
        finally:
            if saved is None:
                del os.environ["HOME"]
            else:
                os.environ["HOME"] = saved


if __name__ == "__main__":
    unittest.main()
