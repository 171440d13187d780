"""Model Ranking Insights against a live server answered by `jury simulate` (which prefers a side by Bradley-Terry
from the models' strengths): a benchmark, a leaderboard, models with local images, their standings as dicts."""

from __future__ import annotations

import unittest

from jury import JuryClient, JuryNotFoundError, JuryValidationError
from jury.mri import JuryBenchmark, JuryLeaderboard, JuryParticipant

from .support import SERVER_URL, TempDir, live

PROMPTS = ["A serene mountain landscape at sunset", "A futuristic city with flying cars"]


@live
class MriTest(unittest.TestCase):
    def setUp(self) -> None:
        self.client = JuryClient(url=SERVER_URL)
        self.tmp = TempDir()

    def tearDown(self) -> None:
        self.tmp.cleanup()

    def media(self, model: str, seed: int) -> list[str]:
        return [self.tmp.png(f"{model}-{i}.png", seed * 10 + i) for i in range(len(PROMPTS))]

    def test_models_ranked_on_a_leaderboard(self) -> None:
        benchmark = self.client.mri.create_new_benchmark(
            name="Python art", identifiers=["mountain", "city"], prompts=PROMPTS, tags=[["outdoor"], ["urban"]]
        )
        self.assertIsInstance(benchmark, JuryBenchmark)
        self.assertEqual(benchmark.prompts, PROMPTS)
        self.assertEqual(benchmark.identifiers, ["mountain", "city"])
        leaderboard = benchmark.create_leaderboard(
            name="Realism", instruction="Which image is more realistic?", level_of_detail=24
        )
        self.assertIsInstance(leaderboard, JuryLeaderboard)
        self.assertEqual((leaderboard.level_of_detail, leaderboard.audience_id), (24, "global"))

        a = benchmark.evaluate_model("py-model-a", media=self.media("a", 1), prompts=PROMPTS)
        self.assertEqual((a.status, a.media_count), ("submitted", 2))
        b = benchmark.add_model("py-model-b", media=self.media("b", 2)[:1], identifiers=["mountain"])
        self.assertEqual(b.status, "created")
        b.upload_media(assets=self.media("b", 2)[1:], identifiers=["city"])
        self.assertEqual(b.media_count, 2)
        c = benchmark.add_model("py-model-c", media=self.media("c", 3), prompts=PROMPTS)
        self.assertEqual(sorted(p.name for p in benchmark.run()), ["py-model-b", "py-model-c"])
        self.assertEqual(
            sorted((p.name, p.status) for p in benchmark.participants),
            [("py-model-a", "submitted"), ("py-model-b", "submitted"), ("py-model-c", "submitted")],
        )
        self.assertIsInstance(c, JuryParticipant)

        leaderboard.wait_until_matched(timeout=120, poll=0.5)
        self.assertGreaterEqual(leaderboard.votes, 24)
        standings = leaderboard.get_standings()
        self.assertEqual(sorted(s["name"] for s in standings), ["py-model-a", "py-model-b", "py-model-c"])
        self.assertEqual([s["rank"] for s in standings], [1, 2, 3])
        for s in standings:
            self.assertLessEqual(s["lower"], s["score"])
            self.assertLessEqual(s["score"], s["upper"])
        self.assertEqual(sum(s["votes"] for s in standings), 2 * leaderboard.votes)
        urban = leaderboard.get_standings(tags=["urban"])
        self.assertEqual(len(urban), 3)
        self.assertLess(sum(s["votes"] for s in urban), sum(s["votes"] for s in standings))
        self.assertEqual(len(benchmark.get_overall_standings()), 3)

        self.assertEqual([lb.id for lb in benchmark.leaderboards], [leaderboard.id])
        self.assertEqual(self.client.mri.get_leaderboard_by_id(leaderboard.id).name, "Realism")
        self.assertIn(benchmark.id, [x.id for x in self.client.mri.find_benchmarks("Python art")])
        self.assertEqual(self.client.mri.get_benchmark_by_id(benchmark.id).name, "Python art")

    def test_prompts_and_leaderboards_change(self) -> None:
        benchmark = self.client.mri.create_new_benchmark(
            name="Python edits", identifiers=["mountain", "city"], prompts=PROMPTS
        )
        leaderboard = benchmark.create_leaderboard(name="Realism", instruction="Which image is more realistic?")
        self.assertIs(leaderboard.update(name="Realism v2", vote_aggregation="majority"), leaderboard)
        self.assertEqual(leaderboard.name, "Realism v2")
        self.assertEqual(leaderboard.refresh().name, "Realism v2")
        runs = leaderboard.runs()
        self.assertIsInstance(runs, list)
        self.assertTrue(all(r["leaderboardId"] == leaderboard.id for r in runs))
        prompt = benchmark.update_prompt("city", tags=["urban", {"value": "night", "category": "time"}])
        self.assertEqual(prompt["tags"], ["urban", "night"])
        benchmark.delete_prompt("city")
        self.assertEqual(benchmark.identifiers, ["mountain"])
        with self.assertRaises(JuryValidationError):
            benchmark.delete_prompt("city")

    def test_refusals(self) -> None:
        benchmark = self.client.mri.create_new_benchmark(name="Python refusals", prompts=["one"])
        with self.assertRaises(JuryValidationError):
            benchmark.evaluate_model("m", media=self.media("m", 4)[:1], prompts=["not in the set"])
        with self.assertRaises(JuryValidationError):
            benchmark.evaluate_model("m", media=self.media("m", 4)[:1])
        with self.assertRaises(JuryNotFoundError):
            self.client.mri.get_benchmark_by_id("bmk_doesnotexist0000")


if __name__ == "__main__":
    unittest.main()
