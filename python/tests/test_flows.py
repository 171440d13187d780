"""Ranking flows against a live server answered by `jury simulate`: a flow, a batch of local images and one of texts,
their rankings in the reference's FlowItemResult shape (datapoints, total_votes) and the server's document."""

from __future__ import annotations

import unittest

from jury import JuryClient, JuryNotFoundError
from jury.flows import FlowItemResult, JuryFlow, JuryFlowItem, JuryRankingJob, JuryRankingJobDefinition

from .support import SERVER_URL, TempDir, live


@live
class FlowTest(unittest.TestCase):
    def setUp(self) -> None:
        self.client = JuryClient(url=SERVER_URL)
        self.tmp = TempDir()

    def tearDown(self) -> None:
        self.tmp.cleanup()

    def test_batches_ranked(self) -> None:
        flow = self.client.flow.create_ranking_flow(
            name="Python quality", instruction="Which image looks better?", max_response_threshold=6,
        )
        self.assertIsInstance(flow, JuryFlow)
        self.assertEqual((flow.data["maxResponseThreshold"], flow.data["minResponseThreshold"]), (6, 6))
        images = [self.tmp.png(f"img{i}.png", 700 + i) for i in range(3)]
        item = flow.create_new_flow_batch(datapoints=images, context="Made by model X", private_metadata={"run": "1"})
        self.assertIsInstance(item, JuryFlowItem)
        texts = flow.create_new_flow_batch(datapoints=["first", "second", "third"], data_type="text")

        results = item.get_results(timeout=90, poll=0.3)
        self.assertIsInstance(results, FlowItemResult)
        self.assertEqual(results["status"], "completed")
        self.assertGreaterEqual(results.total_votes, 6)
        self.assertEqual(sorted(results.datapoints), ["img0.png", "img1.png", "img2.png"])
        self.assertEqual([r["name"] for r in results["ranking"]], list(results.datapoints))
        self.assertEqual(item.get_response_count(), results["responseCount"])
        self.assertEqual(item.get_status(), "completed")
        self.assertEqual(item.get()["context"], "Made by model X")

        text_results = texts.get_results(timeout=90, poll=0.3)
        self.assertEqual(sorted(text_results.datapoints), ["first", "second", "third"])

        self.assertEqual(sorted(i.id for i in flow.get_flow_items()), sorted([item.id, texts.id]))
        flow.update_config(instruction="Which image is sharper?")
        self.assertEqual(self.client.flow.get_flow_by_id(flow.id).data["instruction"], "Which image is sharper?")
        self.assertIn(flow.id, [f.id for f in self.client.flow.find_flows("Python quality")])
        flow.delete()
        with self.assertRaises(JuryNotFoundError):
            self.client.flow.get_flow_by_id(flow.id)


    def test_a_ranking_job(self) -> None:
        rabbits = [self.tmp.png(f"rabbit{i}.png", 800 + i) for i in range(3)]
        images = self.client.job.create_ranking_job_definition(
            name="Python rabbits", instruction="Which rabbit looks cooler?", datapoints=[rabbits],
            comparison_budget_per_ranking=6, random_comparisons_ratio=0.5, contexts=["Rabbits"],
        )
        self.assertIsInstance(images, JuryRankingJobDefinition)
        self.assertEqual((images.data["rankingCount"], images.data["comparisonBudgetPerRanking"]), (1, 6))
        job = self.client.audience.get_audience_by_id("global").assign_job(images, name="Python rabbits run")
        self.assertIsInstance(job, JuryRankingJob)
        job.display_progress_bar(refresh_rate=0.3, timeout=90)
        results = job.get_results(timeout=10)
        self.assertEqual((results["status"], results["name"]), ("completed", "Python rabbits run"))
        [ranking] = results["rankings"]
        self.assertEqual(ranking["context"], "Rabbits")
        self.assertEqual(sorted(ranking["datapoints"]), ["rabbit0.png", "rabbit1.png", "rabbit2.png"])
        self.assertGreaterEqual(ranking["totalVotes"], 6)


if __name__ == "__main__":
    unittest.main()
