import { exampleDifficulty, type TrustAnswer, userScore } from '@jury/stats';
import type { Db } from '../db/database.ts';
import type { LabelerRow } from '../labelers/store.ts';
import * as audienceStore from './audience-store.ts';

// Trust scores: what a labeler's graded answers (qualification and gold) say about them, and which score a
// response records.

/** Crowd answers an example needs before its observed difficulty replaces the default. */
const MIN_ANSWERS_FOR_DIFFICULTY = 10;

/** The labeler's trust score within the audience a job is assigned to (global score for `global`-based ones). */
export async function audienceScore(trx: Db, audienceId: string, labeler: LabelerRow): Promise<number> {
  if (audienceId === 'global') return labeler.user_score;
  const audience = await audienceStore.findAudience(trx, audienceId);
  const customId = audience?.base_audience_id ?? audienceId;
  if (customId === 'global') return labeler.user_score;
  return (await audienceStore.findMembership(trx, customId, labeler.id))?.user_score ?? labeler.user_score;
}

/**
 * The labeler's trust scores (@jury/stats `userScore`) from every graded answer they gave: qualification answers
 * and gold answers. Chance level from the example's random_correct_probability; difficulty from the crowd's
 * qualification answers to the example once it has 10 (every qualifying labeler answers each example once, so
 * that sample is not skewed toward the qualified), else the default.
 */
export async function trustScores(trx: Db, labelerId: string, audienceId: string) {
  const graded = await audienceStore.gradedAnswers(trx, labelerId);
  const crowd = await audienceStore.exampleCrowdStats(trx, [...new Set(graded.map((g) => g.example_id))]);
  const trust = (g: audienceStore.GradedAnswerRow): TrustAnswer => {
    const c = crowd.get(g.example_id);
    return {
      correct: g.correct === 1,
      chance: g.random_correct_probability,
      ...(c && c.answered >= MIN_ANSWERS_FOR_DIFFICULTY
        ? { difficulty: exampleDifficulty(c.correct, c.answered, g.random_correct_probability) }
        : {}),
    };
  };
  const mine = graded.filter((g) => g.audience_id === audienceId);
  return { mine, audience: userScore(mine.map(trust)), global: userScore(graded.map(trust)) };
}
