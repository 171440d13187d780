/**
 * The gold checks work source (lease kind 'gold'): a custom audience's gold pool (examples with purpose 'gold',
 * apart from its qualification examples, so what a labeler learns from qualification feedback never recognises a
 * gold check) served among the tasks of its jobs, to labelers already admitted.
 *
 * When a claim leases a task of a job whose audience is custom (or a filtered audience of a custom one), the
 * engine serves in its place, with probability `goldRate` (AppConfig, default 0.1; 0 disables), one of that
 * custom audience's gold examples of the job's task type (fewest gold answers by this labeler first, then sort
 * order: they rotate, never the same one twice in a row when there are two or more); the task stays unclaimed. It
 * is shown exactly like a task of the job (kind 'task', the job's id, a lease id of the same form, same expiry)
 * and answered through the same POST /responses, with no feedback; the answer goes to gold_answers (not a
 * response: never in results or counts), is graded like a qualification answer, and updates the labeler's trust
 * scores (see `accept` for the drop rule; job results then leave the dropped labeler's responses out).
 * Only admitted (qualified) labelers get here, and only when there is real work, so a gold check never shows when
 * work does not. */
import { customRootOf, parsePassRule } from '../audiences/service.ts';
import { acceptAnswer, isCorrect, truthLabels } from './answers.ts';
import * as audienceStore from './audience-store.ts';
import type { WorkSource } from './engine.ts';
import { exampleSource } from './qualification.ts';
import { trustScores } from './trust.ts';

export const goldChecks: WorkSource = {
  async among({ deps, labeler, trx }, claim) {
    const goldRate = deps.goldRate ?? 0;
    if (goldRate <= 0) return undefined;
    const root = await customRootOf(trx, claim.audienceId);
    if (root === null || (deps.random ?? Math.random)() >= goldRate) return undefined;
    const example = await audienceStore.nextGoldExample(trx, root, claim.shown.taskType, labeler.id);
    if (!example) return undefined;
    return { itemId: example.id, jobId: claim.jobId, audienceId: root, shown: exampleSource(example) };
  },

  async view(db, lease) {
    const example = await audienceStore.findExample(db, lease.item_id);
    return example && exampleSource(example);
  },

  /**
   * Grades the answer like a qualification answer, appends it to gold_answers (never a response: not in results or
   * counts), and recomputes the labeler's audience and global trust scores.
   *
   * Drop rule: once a `qualified` member has given at least `goldDropAfter` gold answers in the audience, they are
   * moved to `dropped` when their accuracy there over qualification + gold answers (correct / answered) is below
   * the pass rule's targetAccuracy. Dropped members get no more of the audience's work (nor gold checks).
   */
  async accept({ deps, labeler, now, trx, answerId }, lease, input) {
    const at = now.toISOString();
    const example = await audienceStore.findExample(trx, lease.item_id);
    if (!example) throw new Error(`gold lease ${lease.id} names no example ${lease.item_id}`);
    const audienceId = example.audience_id;
    const answer = acceptAnswer(exampleSource(example), input);
    const correct = isCorrect(answer, truthLabels(example.task_type, example.items, example.truth));
    await audienceStore.insertGoldAnswer(trx, {
      id: answerId,
      example_id: example.id,
      audience_id: audienceId,
      labeler_id: labeler.id,
      answer: JSON.stringify(answer),
      correct: correct ? 1 : 0,
      created_at: at,
    });
    const scores = await trustScores(trx, labeler.id, audienceId);
    const member = await audienceStore.findMembership(trx, audienceId, labeler.id);
    if (member) {
      const audience = await audienceStore.findAudience(trx, audienceId);
      const rule = parsePassRule(audience?.pass_rule ?? null);
      const goldAnswers = scores.mine.filter((g) => g.source === 'gold').length;
      const right = scores.mine.filter((g) => g.correct === 1).length;
      const dropAfter = deps.goldDropAfter ?? 0;
      const drop =
        member.state === 'qualified' &&
        dropAfter > 0 &&
        goldAnswers >= dropAfter &&
        right / scores.mine.length < rule.targetAccuracy;
      await audienceStore.updateMemberScore(trx, {
        audience_id: audienceId,
        labeler_id: labeler.id,
        state: drop ? 'dropped' : member.state,
        user_score: scores.audience,
        updated_at: at,
      });
    }
    await audienceStore.setLabelerScore(trx, labeler.id, scores.global);
    return { completed: false, rescored: true };
  },

  findAnswer: audienceStore.findGoldAnswer,
};
