"""The client against a live server: tokens (renewed once on a 401), the saved client's lastUsed, uploads of local
files (content-addressed) and http(s) URLs, jury_config's precedence."""

from __future__ import annotations

import json
import os
import threading
import unittest
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

from jury import JuryClient, JuryNotFoundError, jury_config
from jury.credentials import credentials_path

from .support import SERVER_URL, TempDir, live, make_png


class ConfigTest(unittest.TestCase):
    def tearDown(self) -> None:
        jury_config.reset()
        os.environ.pop("JURY_MAX_WORKERS", None)

    def test_code_beats_the_environment_beats_the_default(self) -> None:
        self.assertEqual(jury_config.upload.maxWorkers, 25)
        os.environ["JURY_MAX_WORKERS"] = "4"
        self.assertEqual(jury_config.upload.maxWorkers, 4)
        jury_config.upload.maxWorkers = 2
        self.assertEqual(jury_config.upload.maxWorkers, 2)
        jury_config.upload.maxWorkers = None
        self.assertEqual(jury_config.upload.maxWorkers, 4)
        with self.assertRaises(ValueError):
            jury_config.upload.maxWorkers = 0
        with self.assertRaises(AttributeError):
            jury_config.upload.max_wrokers = 3  # type: ignore[attr-defined]

    def test_log_lines_at_the_level_and_into_the_log_file(self) -> None:
        from jury.config import log

        tmp = TempDir()
        try:
            path = tmp.path / "jury.log"
            os.environ["JURY_LOG_FILE"] = str(path)
            os.environ["JURY_LOG_LEVEL"] = "info"
            log("debug", "not at this level")
            log("info", "uploaded a.png")
            jury_config.logging.level = "error"
            log("warning", "below the level set in code")
            text = path.read_text()
            self.assertIn("jury info: uploaded a.png", text)
            self.assertNotIn("not at this level", text)
            self.assertNotIn("below the level", text)
        finally:
            os.environ.pop("JURY_LOG_FILE", None)
            os.environ.pop("JURY_LOG_LEVEL", None)
            tmp.cleanup()


class _Media(BaseHTTPRequestHandler):
    def do_GET(self) -> None:  # noqa: N802 (the standard library's name)
        png = make_png(len(self.path))
        self.send_response(200)
        self.send_header("content-type", "image/png")
        self.send_header("content-length", str(len(png)))
        self.end_headers()
        self.wfile.write(png)

    def log_message(self, format: str, *args: object) -> None:  # noqa: A002 (the standard library's name)
        pass


@live
class LiveClientTest(unittest.TestCase):
    def setUp(self) -> None:
        self.client = JuryClient(url=SERVER_URL)
        self.tmp = TempDir()

    def tearDown(self) -> None:
        self.tmp.cleanup()

    def test_the_saved_client_from_the_credentials_file(self) -> None:
        self.assertEqual(self.client.credential_source, "credentials-file")
        self.assertEqual(self.client.url, SERVER_URL)
        self.client.get_token()
        saved = json.loads(credentials_path().read_text())["clients"]
        mine = [c for c in saved if c["clientId"] == self.client.client_id]
        self.assertTrue(mine and mine[0]["lastUsed"], "lastUsed is recorded like the TypeScript SDK does")
        self.assertEqual(oct(credentials_path().stat().st_mode & 0o777), "0o600")

    def test_a_token_the_server_no_longer_accepts_is_renewed_once(self) -> None:
        first = self.client.get_token()
        self.assertEqual(self.client.get_token(), first, "a valid token is reused")
        # The server answers 401 to this token (as to an expired or revoked one): one renewal, then success.
        self.client._token = ("jat_not_a_token_the_server_issued", float("inf"))
        audience = self.client.audience.get_audience_by_id("global")
        self.assertEqual(audience.id, "global")
        self.assertNotEqual(self.client.get_token(), "jat_not_a_token_the_server_issued")

    def test_local_files_upload_once_by_content(self) -> None:
        a = self.client.assets.upload(self.tmp.png("a.png", 101))
        again = self.client.assets.upload(self.tmp.png("copy-of-a.png", 101))
        other = self.client.assets.upload(self.tmp.png("b.png", 102))
        self.assertEqual((a["kind"], a["mimeType"], a["source"]), ("image", "image/png", "upload"))
        self.assertEqual(again["id"], a["id"])
        self.assertNotEqual(other["id"], a["id"])
        self.assertEqual(self.client.assets.get(a["id"])["sha256"], a["sha256"])

    def test_a_media_reference_this_server_never_sealed_is_not_found(self) -> None:
        # Resolving a served reference is tested by the SDK's e2e tests (sdk-jobs, sdk-flows): a labeler session here
        # would be one more eligible labeler for test_jobs' stall test.
        with self.assertRaises(JuryNotFoundError):
            self.client.assets.resolve_media_reference("/api/v1/labeler/media/" + "A" * 64)

    def test_urls_are_registered(self) -> None:
        server = ThreadingHTTPServer(("127.0.0.1", 0), _Media)
        threading.Thread(target=server.serve_forever, daemon=True).start()
        try:
            url = f"http://127.0.0.1:{server.server_address[1]}/cat.png"
            item = self.client.assets.resolve_item(url)
            self.assertEqual(item["name"], url)
            asset = self.client.assets.get(item["assetId"])
            self.assertEqual((asset["source"], asset["url"], asset["kind"]), ("url", url, "image"))
        finally:
            server.shutdown()
            server.server_close()


if __name__ == "__main__":
    unittest.main()
