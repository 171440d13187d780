import type { LabelerProfile, StudySettings, StudyStep } from '@jury/api';
import { AppError } from '../http/errors.ts';
import type { LabelerRow } from '../labelers/store.ts';
import { hasEntered, studyOf } from '../recruitment/service.ts';
import * as audienceStore from './audience-store.ts';
import type { LabelingDeps } from './engine.ts';
import { nextTask } from './sources.ts';
import { responsesByAudience } from './store.ts';

// A recruiting site's participant, step by step, in one place: profile → qualification → tasks → sent back with
// the completion code (their tasks done, or none left for them), or with the screened-out code once dropped.

function finished(study: StudySettings, outcome: 'completed' | 'screened_out'): StudyStep {
  const code = outcome === 'completed' ? study.completionCode : study.screenedOutCode;
  return {
    step: 'finished',
    outcome,
    code,
    redirectUrl: study.returnUrl.replaceAll('{code}', encodeURIComponent(code)),
  };
}

async function tasksDone(deps: LabelingDeps, labelerId: string, audienceId: string): Promise<number> {
  let done = 0;
  for (const [id, n] of await responsesByAudience(deps.db, labelerId))
    if ((await audienceStore.customRootOf(deps.db, id)) === audienceId) done += n;
  return done;
}

/** What the participant of the study at `audienceId` does next; the labeler app asks before each piece of work. */
export async function nextStep(
  deps: LabelingDeps,
  labeler: LabelerRow,
  profile: LabelerProfile,
  audienceId: string,
  addressHash: string | null,
): Promise<StudyStep> {
  const study = await studyOf(deps.db, audienceId);
  if (!(await hasEntered(deps.db, labeler.id, audienceId)))
    throw new AppError(
      'FORBIDDEN',
      'This session did not enter the study; open the link from the study site again.',
    );
  if (!profile.profileComplete) return { step: 'profile' };
  const member = await audienceStore.findMembership(deps.db, audienceId, labeler.id);
  if (member?.state === 'dropped') return finished(study, 'screened_out');
  if (
    study.tasksPerLabeler !== null &&
    (await tasksDone(deps, labeler.id, audienceId)) >= study.tasksPerLabeler
  )
    return finished(study, 'completed');
  const work = await nextTask(deps, labeler, addressHash);
  if (work.kind !== 'none') return { step: 'work', work };
  // Nothing is left for them: qualified (or qualifying with nothing owed), they are done; dropped, screened out.
  const after = await audienceStore.findMembership(deps.db, audienceId, labeler.id);
  return finished(study, after?.state === 'dropped' ? 'screened_out' : 'completed');
}
