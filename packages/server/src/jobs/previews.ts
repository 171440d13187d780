// Previews: short-lived links to the labeler view of a definition.
import type { JobDefinitionPreview, LabelerTaskView } from '@jury/api';
import { mediaSealer } from '../assets/media-refs.ts';
import { AppError } from '../http/errors.ts';
import { hashSecret, newSecret } from '../http/ids.ts';
import { choosePresentation, presentTaskView, type TaskSource } from '../labeling/task-view.ts';
import { type JobDeps, loadDefinition } from './definitions.ts';
import * as store from './store.ts';

/** How long a preview link works. */
export const PREVIEW_TTL_MS = 60 * 60 * 1000;

/** A short-lived link to the labeler view of the definition's latest revision; the key is stored hashed. */
export async function createPreview(
  deps: JobDeps,
  organizationId: string,
  id: string,
  origin: string,
): Promise<JobDefinitionPreview> {
  const { definition } = await loadDefinition(deps, organizationId, id);
  const now = deps.clock.now();
  const key = newSecret('pvw');
  const expiresAt = new Date(now.getTime() + PREVIEW_TTL_MS).toISOString();
  await store.deleteExpiredPreviews(deps.db, now.toISOString());
  await store.insertPreview(deps.db, {
    key_hash: hashSecret(key),
    definition_id: definition.id,
    organization_id: organizationId,
    revision: definition.latest_revision,
    created_at: now.toISOString(),
    expires_at: expiresAt,
  });
  return { url: `${origin}/label/preview/${key}`, expiresAt };
}

export interface PreviewView {
  definitionId: string;
  name: string;
  revision: number;
  expiresAt: string;
  tasks: LabelerTaskView[];
}

/**
 * What a preview link shows: every datapoint as one labeler would see it, through labeling's own presentation
 * (the same A/B order and option shuffling rules, drawn afresh per view; nothing is recorded).
 */
export async function getPreview(deps: JobDeps, key: string): Promise<PreviewView> {
  const row = await store.findPreview(deps.db, hashSecret(key));
  if (!row || row.expires_at <= deps.clock.now().toISOString())
    throw new AppError(
      'NOT_FOUND',
      'This preview link is unknown or has expired; create a new one with preview().',
    );
  const definition = await store.findDefinition(deps.db, row.organization_id, row.definition_id);
  const revision = await store.findRevision(deps.db, row.definition_id, row.revision);
  if (!definition || !revision)
    throw new AppError('NOT_FOUND', 'The previewed job definition no longer exists.');
  const datapoints = await store.listDatapoints(deps.db, definition.id, revision.revision);
  // Anyone with the link sees the media, until the link expires; by opaque references like labelers.
  const seal = await mediaSealer(deps);
  const scope = { labelerId: null, leaseId: null, expiresAt: row.expires_at };
  return {
    definitionId: definition.id,
    name: definition.name,
    revision: revision.revision,
    expiresAt: row.expires_at,
    tasks: datapoints.map((dp) => {
      const source: TaskSource = {
        taskType: definition.task_type,
        instruction: revision.instruction,
        dataType: revision.data_type,
        items: dp.items,
        context: dp.context,
        mediaContext: dp.media_context,
        answerOptions: revision.answer_options,
        settings: revision.settings,
      };
      return presentTaskView(source, choosePresentation(source, deps.random), seal(scope));
    }),
  };
}
