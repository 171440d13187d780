"""Audiences against a live server: global, a custom audience with compare and classification examples of local
files and texts, a filtered audience, finding and deleting."""

from __future__ import annotations

import unittest

from jury import CountryFilter, JuryClient, JuryFilteredAudience, JuryNotFoundError, JuryValidationError, LanguageFilter

from .support import SERVER_URL, TempDir, live


@live
class AudienceTest(unittest.TestCase):
    def setUp(self) -> None:
        self.client = JuryClient(url=SERVER_URL)
        self.tmp = TempDir()

    def tearDown(self) -> None:
        self.tmp.cleanup()

    def test_global(self) -> None:
        audience = self.client.audience.get_audience_by_id("global")
        self.assertEqual((audience.id, audience.kind), ("global", "global"))
        with self.assertRaises(JuryValidationError):
            audience.add_compare_example(instruction="Which?", datapoint=["a", "b"], truth="a", data_type="text")
        with self.assertRaises(JuryValidationError):
            audience.delete()

    def test_custom_with_examples_filtered_found_and_deleted(self) -> None:
        audience = self.client.audience.create_audience(name="Python raters", target_accuracy=0.8, min_examples=2)
        self.assertEqual((audience.kind, audience.pass_rule), ("custom", {"targetAccuracy": 0.8, "minExamples": 2}))
        a, b = self.tmp.png("sharp.png", 501), self.tmp.png("blurry.png", 502)
        example = audience.add_compare_example(
            instruction="Which image is sharper?", datapoint=[a, b], truth=a, context="Look at the edges",
            explanation="The left one has crisp edges.",
        )
        self.assertEqual(example["truth"], ["sharp.png"])
        example = audience.add_classification_example(
            instruction="Which word is a colour?", answer_options=["red", "run"], datapoint="red", truth="red",
            data_type="text",
        )
        self.assertEqual(example["truth"], ["red"])
        gold = audience.add_compare_example(
            instruction="Which word is a colour?", datapoint=["blue", "bake"], truth="blue", data_type="text",
            purpose="gold",
        )
        self.assertEqual((gold["purpose"], example["purpose"]), ("gold", "qualification"))
        with self.assertRaises(JuryValidationError):
            audience.add_compare_example(instruction="Which?", datapoint=["a", "b"], truth="a", data_type="text",
                                         purpose="secret")
        self.assertEqual(audience.get_stats()["examples"], 2, "the gold pool is not qualification")
        self.assertEqual([e["id"] for e in audience.get_examples(purpose="gold")], [gold["id"]])
        self.assertEqual(len(audience.get_examples(amount=50)), 3)
        self.assertEqual(len(audience.get_examples(purpose="qualification")), 2)
        with self.assertRaises(JuryValidationError):
            audience.get_examples(purpose="secret")
        quiet = self.client.audience.create_audience(name="Python quiet", show_qualification_feedback=False)
        self.assertEqual(quiet.kind, "custom")

        us = audience.filter([CountryFilter(["us"]) | LanguageFilter(["EN"]), ~CountryFilter(["FR"])])
        self.assertIsInstance(us, JuryFilteredAudience)
        self.assertEqual(
            us.filters,
            [
                {"type": "or", "filters": [{"type": "country", "countries": ["US"]}, {"type": "language", "languages": ["en"]}]},
                {"type": "not", "filter": {"type": "country", "countries": ["FR"]}},
            ],
        )
        self.assertIsInstance(self.client.audience.get_audience_by_id(us.id), JuryFilteredAudience)
        with self.assertRaises(JuryValidationError):
            us.filter([CountryFilter(["DE"])])

        self.assertIn(audience.id, [x.id for x in self.client.audience.find_audiences("Python raters")])
        us.delete()
        audience.delete()
        with self.assertRaises(JuryNotFoundError):
            self.client.audience.get_audience_by_id(audience.id)


if __name__ == "__main__":
    unittest.main()

    def test_recruitment_invites_and_study(self) -> None:
        audience = self.client.audience.create_audience(name="Python recruited")
        self.assertEqual(audience.get_recruitment()["mode"], "open")
        self.assertEqual(audience.set_recruitment("invite")["mode"], "invite")
        single = audience.create_invite("single", label="Ada")
        self.assertIn("/label/invite/inv_", single["url"])
        shared = audience.create_invite("shared", max_uses=5)
        audience.revoke_invite(shared["id"])
        states = sorted((i["kind"], i["state"], i["maxUses"]) for i in audience.list_invites())
        self.assertEqual(states, [("shared", "revoked", 5), ("single", "active", 1)])
        with self.assertRaises(JuryValidationError):
            audience.create_invite("shared")
        with self.assertRaises(JuryNotFoundError):
            audience.revoke_invite("inv_doesnotexist000")
        study = audience.set_recruitment("study", {"completionCode": "C1A2B3", "screenedOutCode": "C9X8Y7"})
        self.assertEqual(study["study"]["returnUrl"], "https://app.prolific.com/submissions/complete?cc={code}")
        self.assertIn(f"/label/study/{audience.id}?PROLIFIC_PID=", study["entryUrl"])
        audience.delete()
