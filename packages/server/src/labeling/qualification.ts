/**
 * Qualification: the examples a labeler owes a custom audience before its work, served first (in sort order) and
 * graded at once. Not a work source of the engine: an example is answered once per labeler by its id at its own
 * endpoint (POST /qualification-answers), so it needs no lease; the job tasks source serves it as a pre-step,
 * for the audiences of the running jobs it is about to claim from.
 */
import type { LabelerNextTask, LabelerQualificationAnswer, LabelerQualificationResult } from '@jury/api';
import { mediaSealer } from '../assets/media-refs.ts';
import {
  matchesFilters,
  parsePassRule,
  qualificationOpen,
  qualificationState,
} from '../audiences/service.ts';
import type { AudienceExamplesTable } from '../db/schema.ts';
import { withTransaction } from '../db/transaction.ts';
import { AppError } from '../http/errors.ts';
import { newId } from '../http/ids.ts';
import { forgetLabeler } from '../labelers/service.ts';
import type { LabelerRow } from '../labelers/store.ts';
import { gateAdmits, recruitmentGate } from '../recruitment/gate.ts';
import type { LabelerAccess } from './access.ts';
import { acceptAnswer, isCorrect, truthLabels } from './answers.ts';
import * as audienceStore from './audience-store.ts';
import { isUniqueViolation, type LabelingDeps } from './engine.ts';
import { choosePresentation, presentTaskView, type TaskSource } from './task-view.ts';
import { trustScores } from './trust.ts';

/** What an audience example shows (qualification examples and gold checks alike). */
export function exampleSource(
  row: Pick<
    AudienceExamplesTable,
    | 'task_type'
    | 'instruction'
    | 'data_type'
    | 'items'
    | 'context'
    | 'media_context'
    | 'answer_options'
    | 'settings'
  >,
): TaskSource {
  return {
    taskType: row.task_type,
    instruction: row.instruction,
    dataType: row.data_type,
    items: row.items,
    context: row.context,
    mediaContext: row.media_context,
    answerOptions: row.answer_options,
    settings: row.settings,
  };
}

const QUALIFICATION_MEDIA_MS = 3_600_000;

/** The next qualification example the labeler owes one of `owed` (in order), or undefined. */
export async function owedQualification(
  deps: LabelingDeps,
  labeler: LabelerRow,
  owed: LabelerAccess['owed'],
): Promise<LabelerNextTask | undefined> {
  for (const { audienceId, examples } of owed) {
    const example = await audienceStore.nextOwedExample(deps.db, audienceId, labeler.id);
    if (!example) continue;
    const source = exampleSource(example);
    const answered = (await audienceStore.findMembership(deps.db, audienceId, labeler.id))?.answered ?? 0;
    // No lease: the example's media serve this labeler for an hour.
    const seal = await mediaSealer(deps);
    const expiresAt = new Date(deps.clock.now().getTime() + QUALIFICATION_MEDIA_MS).toISOString();
    const scope = { labelerId: labeler.id, leaseId: null, expiresAt };
    return {
      kind: 'qualification',
      exampleId: example.id,
      audienceId,
      progress: { answered, total: examples },
      ...presentTaskView(source, choosePresentation(source, deps.random), seal(scope)),
    };
  }
  return undefined;
}

/**
 * Grades a qualification answer (told back with the truth only when the audience shows feedback) and updates the labeler's membership of the custom audience (the pass rule
 * decides `qualified`/`dropped` once every example is answered) and their trust scores (trust.ts).
 */
export async function submitQualificationAnswer(
  deps: LabelingDeps,
  labeler: LabelerRow,
  input: LabelerQualificationAnswer,
): Promise<LabelerQualificationResult> {
  const now = deps.clock.now().toISOString();
  const example = await audienceStore.findExample(deps.db, input.exampleId);
  const audience = await audienceStore.findAudience(deps.db, input.audienceId);
  // A gold example is never answered here: its id is refused exactly like an unknown one.
  if (
    example?.purpose !== 'qualification' ||
    !audience ||
    example.audience_id !== audience.id ||
    audience.base_audience_id !== null
  )
    throw new AppError(
      'NOT_FOUND',
      `Audience ${input.audienceId} has no qualification example ${input.exampleId}; answer the exampleId and audienceId GET /api/v1/labeler/tasks/next gave you.`,
    );
  const filters = audience.filters
    ? (JSON.parse(audience.filters) as Parameters<typeof matchesFilters>[0])
    : [];
  if (!matchesFilters(Array.isArray(filters) ? filters : [filters], labeler))
    throw new AppError(
      'CONFLICT',
      `Audience ${audience.id} is for other labelers (its filters do not match your country/language); you owe it nothing.`,
    );
  if (!gateAdmits(await recruitmentGate(deps.db, labeler.id, [audience.id]), audience.id))
    throw new AppError(
      'CONFLICT',
      `Audience ${audience.id} takes labelers only through its invite links or its study's entry URL.`,
    );
  const rule = parsePassRule(audience.pass_rule);
  const examples = (await audienceStore.exampleCounts(deps.db, [audience.id])).get(audience.id) ?? 0;
  if (!qualificationOpen(rule, examples))
    throw new AppError(
      'CONFLICT',
      `Audience ${audience.id} is not open for qualification yet (it has ${examples} of the ${rule.minExamples} examples its pass rule needs).`,
    );
  const answer = acceptAnswer(exampleSource(example), input.answer);
  const truth = truthLabels(example.task_type, example.items, example.truth);
  const correct = isCorrect(answer, truth);
  try {
    const result = await withTransaction(deps.db, async (trx) => {
      const member = await audienceStore.findMembership(trx, audience.id, labeler.id);
      if (member && member.state !== 'qualifying')
        throw new AppError(
          'CONFLICT',
          `You already finished the qualification of audience ${audience.id} (${member.state}); nothing more is owed.`,
          { state: member.state },
        );
      await audienceStore.insertExampleAnswer(trx, {
        id: newId('exa'),
        example_id: example.id,
        audience_id: audience.id,
        labeler_id: labeler.id,
        answer: JSON.stringify(answer),
        correct: correct ? 1 : 0,
        created_at: now,
      });
      const scores = await trustScores(trx, labeler.id, audience.id);
      const mine = scores.mine.filter((g) => g.source === 'qualification');
      const answered = mine.length;
      const right = mine.filter((g) => g.correct === 1).length;
      const state = qualificationState(rule, { answered, correct: right, examples });
      const memberScore = scores.audience;
      await audienceStore.upsertMembership(trx, {
        audience_id: audience.id,
        labeler_id: labeler.id,
        state,
        answered,
        correct: right,
        user_score: memberScore,
        updated_at: now,
      });
      await audienceStore.setLabelerScore(trx, labeler.id, scores.global);
      const feedback = Number(audience.show_qualification_feedback) === 1;
      return {
        correct: feedback ? correct : null,
        truth: feedback ? truth : null,
        explanation: feedback ? example.explanation : null,
        membership: {
          audienceId: audience.id,
          state,
          answered,
          correct: feedback ? right : null,
          total: examples,
          userScore: feedback ? memberScore : null,
        },
      };
    });
    forgetLabeler(deps.db, labeler.id);
    return result;
  } catch (err) {
    if (isUniqueViolation(err))
      throw new AppError('CONFLICT', `You already answered qualification example ${example.id}.`);
    throw err;
  }
}
