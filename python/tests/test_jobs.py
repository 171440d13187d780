"""Job definitions and jobs against a live server answered by `jury simulate`: a classification job of local
files with its results as the server returns them, partial upload failures (FailedUploadException with the created
definition and a retry), finding and reading back."""

from __future__ import annotations

import json
import unittest

from jury import (
    FailedUploadException,
    JuryClient,
    JuryItemError,
    JuryJob,
    JuryJobDefinition,
    JuryJobStalledError,
    JuryTimeoutError,
    NoShuffleSetting,
)

from .support import SERVER_URL, TempDir, live

POLL = 0.3


@live
class ClassificationJobTest(unittest.TestCase):
    def setUp(self) -> None:
        self.client = JuryClient(url=SERVER_URL)
        self.tmp = TempDir()

    def tearDown(self) -> None:
        self.tmp.cleanup()

    def test_local_files_classified_with_results_in_the_documented_shape(self) -> None:
        files = [self.tmp.png(f"pet{i}.png", 200 + i) for i in range(2)]
        definition = self.client.job.create_classification_job_definition(
            name="Python pets",
            instruction="What animal is this?",
            answer_options=["Cat", "Dog"],
            datapoints=files,
            contexts=["First", "Second"],
            responses_per_datapoint=3,
            settings=[NoShuffleSetting()],
            private_metadata=[{"k": "0"}, {"k": "1"}],
        )
        self.assertIsInstance(definition, JuryJobDefinition)
        self.assertEqual((definition.type, definition.datapoint_count), ("classification", 2))
        self.assertEqual((definition.answer_options, definition.settings), (["Cat", "Dog"], ["NoShuffle"]))
        job = self.client.audience.get_audience_by_id("global").assign_job(definition, name="Python pets run")
        self.assertEqual((job.name, job.audience_id, job.type), ("Python pets run", "global", "classification"))
        results = job.get_results(refresh_rate=POLL, timeout=90)
        self.assertEqual(job.status, "completed")
        self.assertEqual(results["info"]["type"], "Classify")
        data = results["results"]["data"]
        self.assertEqual([d["originalFileName"] for d in data], ["pet0.png", "pet1.png"])
        self.assertEqual([d["context"] for d in data], ["First", "Second"])
        self.assertEqual([d["privateMetadata"] for d in data], [{"k": "0"}, {"k": "1"}])
        for d in data:
            self.assertEqual(sum(d["aggregatedResults"].values()), 3)
            self.assertEqual(len(d["detailedResults"]), 3)
        self.assertEqual(set(results["results"]["globalAggregatedData"]), {"Cat", "Dog"})
        progress = job.get_progress()
        self.assertEqual((progress["status"], progress["completedTasks"], progress["totalTasks"]), ("completed", 2, 2))

    def test_found_and_read_back(self) -> None:
        definition = self.client.job.create_compare_job_definition(
            name="Python find me", instruction="Which is shorter?", datapoints=[["a", "bb"]], data_type="text",
            a_b_names=["short", "long"], responses_per_datapoint=2,
        )
        grown = definition.add_datapoints([["ccc", "dddd"]])
        self.assertEqual((grown.id, grown.datapoint_count), (definition.id, 2))
        job = self.client.job.assign_job(definition, "global")
        self.assertIn(definition.id, [d.id for d in self.client.job.find_job_definitions("Python find me")])
        self.assertEqual(self.client.job.get_job_defintion_by_id(definition.id).a_b_names, ["short", "long"])
        self.assertIn(job.id, [j.id for j in self.client.job.find_jobs("Python find me")])
        self.assertIn(job.id, [j.id for j in self.client.audience.get_audience_by_id("global").find_jobs("Python find")])
        again = self.client.job.get_job_by_id(job.id)
        self.assertIsInstance(again, JuryJob)
        self.assertEqual(again.definition_id, definition.id)
        results = again.get_results(refresh_rate=POLL, timeout=90)
        self.assertEqual(results["info"]["type"], "Compare")
        self.assertEqual(len(results["results"]), 2)
        self.assertEqual(set(results["results"][0]["aggregatedResults"]), {"short", "long"})
        kept = again.get_results(wait=False, include_excluded=True)
        self.assertEqual(kept["integrity"]["excluded"], {"total": 0, "byReason": {}})
        csv = again.get_results_csv(wait=False, include_excluded=True).splitlines()
        self.assertTrue(csv[0].startswith("datapoint_id,index,"), csv[0])
        self.assertEqual(len(csv), 3, "a header and one row per datapoint")
        lines = again.get_results_jsonl(wait=False).splitlines()
        self.assertEqual([json.loads(line)["index"] for line in lines], [0, 1])


    def test_a_job_no_labeler_left_can_answer_stops_the_wait_with_the_reason(self) -> None:
        # 40 responses per datapoint; the server of python-client.test.ts has only its simulated crowd (12 labelers, all
        # active): each answers once, then nobody may. (On a server whose other labelers left, it waits instead.)
        definition = self.client.job.create_compare_job_definition(
            name="Python stalls", instruction="Which is longer?", datapoints=[["x", "xx"]], data_type="text",
            responses_per_datapoint=40,
        )
        job = self.client.job.assign_job(definition, "global")
        with self.assertRaises(JuryJobStalledError) as caught:
            job.get_results(refresh_rate=POLL, stall_timeout=1, timeout=90)
        self.assertEqual((caught.exception.code, caught.exception.stall["code"]), ("JOB_STALLED", "NO_ELIGIBLE_LABELERS"))
        self.assertIn("answered every open datapoint", caught.exception.stall["reason"])
        so_far = job.get_results(wait=False)
        votes = sum(so_far["results"][0]["aggregatedResults"].values())
        self.assertTrue(0 < votes < 40, votes)
        with self.assertRaises(JuryTimeoutError):
            job.get_results(refresh_rate=POLL, stall_timeout=float("inf"), timeout=0.5)
        job.pause()
        self.assertEqual(job.status, "paused")


@live
class FailedUploadTest(unittest.TestCase):
    def setUp(self) -> None:
        self.client = JuryClient(url=SERVER_URL)
        self.tmp = TempDir()

    def tearDown(self) -> None:
        self.tmp.cleanup()

    def test_the_definition_has_what_uploaded_and_the_rest_can_be_retried(self) -> None:
        good = [self.tmp.png(f"ok{i}.png", 300 + i) for i in range(3)]
        missing = str(self.tmp.path / "missing.png")
        with self.assertRaises(FailedUploadException) as caught:
            self.client.job.create_compare_job_definition(
                name="Python partial",
                instruction="Which image is sharper?",
                datapoints=[[good[0], good[1]], [good[1], missing], [good[2], good[0]]],
                contexts=["one", "two", "three"],
            )
        e = caught.exception
        self.assertEqual(e.code, "UPLOAD_FAILED")
        self.assertEqual(len(e.failed_uploads), 1)
        failure = e.failed_uploads[0]
        self.assertEqual(failure.item["index"], 1)
        self.assertEqual(failure.item["datapoint"], [good[1], missing])
        self.assertEqual(failure.item["context"], "two")
        self.assertEqual((failure.error_type, failure.error_message), ("AssetUploadFailed", "One or more required assets failed to upload"))
        self.assertIsInstance(failure.exception, JuryItemError)
        self.assertEqual(list(e.failures_by_reason), ["One or more required assets failed to upload"])
        self.assertEqual(e.detailed_failures, e.failed_uploads)
        self.assertIn("1 of 3 datapoints failed to upload", str(e))
        assert e.job_definition is not None
        self.assertEqual(e.job_definition.datapoint_count, 2)

        self.tmp.png("missing.png", 399)  # the file is there now
        retried = e.retry_failed()
        self.assertEqual((retried.id, retried.datapoint_count), (e.job_definition.id, 3))

    def test_nothing_created_when_nothing_uploaded(self) -> None:
        with self.assertRaises(FailedUploadException) as caught:
            self.client.job.create_classification_job_definition(
                name="Python nothing", instruction="What is it?", answer_options=["a", "b"],
                datapoints=[str(self.tmp.path / "nope1.png"), "not a file or url"],
            )
        self.assertIsNone(caught.exception.job_definition)
        self.assertEqual([f.item["index"] for f in caught.exception.failed_uploads], [0, 1])
        self.assertIn("no job definition was created", str(caught.exception))


if __name__ == "__main__":
    unittest.main()
