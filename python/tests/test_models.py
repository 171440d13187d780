"""Models and evaluations against a live server: register a model served by a loopback OpenAI-compatible server of
our own, test its endpoint, edit and delete it; read the built-in MixEval-Hard and import a JSONL evaluation."""

from __future__ import annotations

import json
import threading
import unittest
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

from jury import JuryClient, JuryConflictError, JuryNotFoundError, JuryValidationError

from .support import SERVER_URL, live


class _ChatHandler(BaseHTTPRequestHandler):
    def do_POST(self) -> None:  # noqa: N802 (http.server's name)
        body = json.loads(self.rfile.read(int(self.headers["Content-Length"])))
        prompt = body["messages"][-1]["content"]
        # Right on the quiz of test_run (Paris; option B), an echo otherwise.
        content = "Paris" if "France" in prompt else "The answer is B." if "2 + 2" in prompt else f"Echo: {prompt}"
        answer = json.dumps({"choices": [{"message": {"role": "assistant", "content": content}}]}).encode()
        self.send_response(200)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(answer)))
        self.end_headers()
        self.wfile.write(answer)

    def log_message(self, format: str, *args: object) -> None:  # noqa: A002
        pass


@live
class ModelsTest(unittest.TestCase):
    def setUp(self) -> None:
        self.client = JuryClient(url=SERVER_URL)
        self.server = ThreadingHTTPServer(("127.0.0.1", 0), _ChatHandler)
        threading.Thread(target=self.server.serve_forever, daemon=True).start()
        self.chat_url = f"http://127.0.0.1:{self.server.server_address[1]}/v1/chat/completions"

    def tearDown(self) -> None:
        self.server.shutdown()
        self.server.server_close()

    def test_register_test_edit_delete(self) -> None:
        endpoint = {"preset": "openai-chat", "url": self.chat_url, "model": "echo", "apiKey": "sk-secret-1234"}
        model = self.client.models.create("Python echo", endpoint, limits={"requestsPerMinute": 60})
        self.assertEqual(model.name, "Python echo")
        self.assertNotIn("sk-secret-1234", json.dumps(model.data), "header values are never returned")
        result = model.test_endpoint("Say hi")
        self.assertTrue(result["ok"], result)
        self.assertEqual(result["answer"], "Echo: Say hi")
        self.assertTrue(self.client.models.test_endpoint(endpoint, "hi")["ok"])
        with self.assertRaises(JuryConflictError):
            self.client.models.create("Python echo", endpoint)
        with self.assertRaises(JuryValidationError):
            self.client.models.create("No prompt", {"url": self.chat_url, "bodyTemplate": {"x": 1}, "responsePath": []})
        model.edit(description="echoes", visibility="public")
        self.assertEqual(model.refresh()["description"], "echoes")
        found = self.client.models.find_by_name("Python echo")
        self.assertIsNotNone(found)
        self.assertEqual(found.id if found else None, model.id)
        model.delete()
        with self.assertRaises(JuryNotFoundError):
            self.client.models.get(model.id)

    def test_evaluations(self) -> None:
        hard = self.client.evaluations.get("mixeval-hard")
        versions = {v["version"] for v in hard["versions"]}
        self.assertIn("2024-06-01", versions)
        jsonl = "\n".join(
            [
                '{"question": "Capital of France?", "answers": ["Paris"]}',
                '{"question": "2 + 2?", "options": ["3", "4"], "correctOption": 1}',
            ]
        )
        version = self.client.evaluations.import_jsonl("python-quiz", "v1", jsonl=jsonl)
        self.assertEqual(version["version"], "v1")
        items = self.client.evaluations.items("python-quiz", "v1", split="multiple-choice")
        self.assertEqual(items["total"], 1)
        first = self.client.evaluations.items("python-quiz", "v1", amount=1)
        self.assertIsNotNone(first["nextCursor"])
        rest = self.client.evaluations.items("python-quiz", "v1", amount=100, cursor=first["nextCursor"])
        self.assertEqual(rest["nextCursor"], None)
        self.assertEqual(len(first["data"]) + len(rest["data"]), first["total"])
        self.assertNotIn(first["data"][0]["id"], {i["id"] for i in rest["data"]})
        with self.assertRaises(JuryValidationError):
            self.client.evaluations.import_jsonl("python-quiz", "v2", jsonl='{"question": "x"}\nnot json')
        self.assertNotIn("v2", {v["version"] for v in self.client.evaluations.get("python-quiz")["versions"]})
        self.client.evaluations.delete("python-quiz")
        self.assertIsNone(self.client.evaluations.find("python-quiz"))

    def test_run(self) -> None:
        endpoint = {"preset": "openai-chat", "url": self.chat_url, "model": "quiz"}
        model = self.client.models.create("Python quiz taker", endpoint)
        jsonl = "\n".join(
            [
                '{"question": "Capital of France?", "answers": ["Paris"]}',
                '{"question": "2 + 2?", "options": ["3", "4"], "correctOption": 1}',
            ]
        )
        self.client.evaluations.import_jsonl("python-run-quiz", "v1", jsonl=jsonl)
        run = self.client.evaluations.run(model.id, "python-run-quiz", "v1")
        done = run.display_progress_bar(timeout=60, poll=0.2)
        self.assertEqual(done["status"], "completed", done)
        self.assertEqual(done["score"], 100)
        items = run.items()
        self.assertEqual(items["total"], 2)
        history = self.client.evaluations.runs(model=model.id)
        self.assertEqual([r["id"] for r in history["data"]], [run.id])
        self.assertEqual(self.client.evaluations.get_run(run.id).data["score"], 100)
        self.assertIn("python-run-quiz", json.dumps(self.client.evaluations.scores(model.id)))
        listed = self.client.evaluations.model_scores(name="Python quiz")
        self.assertEqual([m["model"]["id"] for m in listed["data"]], [model.id])
        latest = listed["data"][0]["latest"]
        self.assertEqual([(x["evaluation"], x["score"], x["counted"]) for x in latest], [("python-run-quiz", 100, False)])
        self.assertIsNone(listed["data"][0]["aggregate"]["score"], "an untrusted evaluation does not count")


if __name__ == "__main__":
    unittest.main()
