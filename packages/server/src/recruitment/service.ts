import {
  type AudienceInvite,
  type CreateAudienceInvite,
  type CreatedAudienceInvite,
  type Recruitment,
  type SetRecruitment,
  type StudySettings,
  setRecruitmentSchema,
  studySettingsSchema,
} from '@jury/api';
import { customRootOf, getAudience } from '../audiences/service.ts';
import type { Db } from '../db/database.ts';
import { withTransaction } from '../db/transaction.ts';
import type { Clock } from '../http/clock.ts';
import { AppError, notFound } from '../http/errors.ts';
import { hashSecret, newId, newSecret } from '../http/ids.ts';
import { mapPage, type Page, type PageRequest, pageArray } from '../http/pages.ts';
import { createLabeler, findLabelerById } from '../labelers/service.ts';
import type { LabelerRow } from '../labelers/store.ts';
import { forgetEntries, forgetRecruitment } from './gate.ts';
import * as store from './store.ts';

export interface RecruitmentDeps {
  db: Db;
  clock: Clock;
}

// ---- Requester operations

/** Recruitment is set on a custom audience; filtered audiences follow the custom audience behind them. */
async function customAudience(deps: RecruitmentDeps, organizationId: string, audienceId: string) {
  const audience = await getAudience(deps, organizationId, audienceId);
  if (audience.kind !== 'custom')
    throw new AppError(
      'FORBIDDEN',
      audience.kind === 'global'
        ? 'The global audience is open to every labeler; set recruitment on a custom audience.'
        : `Audience ${audienceId} is filtered: it recruits as its base audience ${audience.baseAudienceId} does.`,
    );
  return audience;
}

function present(row: store.RecruitmentRow | undefined, audienceId: string, origin: string): Recruitment {
  const mode = row?.mode ?? 'open';
  const study = row?.study ? studySettingsSchema.parse(JSON.parse(row.study)) : null;
  const entryUrl =
    mode === 'study' && study
      ? `${origin}/label/study/${audienceId}?${study.participantParam}={{%${study.participantParam}%}}&${study.studyParam}={{%${study.studyParam}%}}&${study.sessionParam}={{%${study.sessionParam}%}}`
      : null;
  return { audienceId, mode, study: mode === 'study' ? study : null, entryUrl };
}

/** The custom audience whose recruitment applies to a readable audience (null: `global`, open to all). */
async function recruitingRoot(deps: RecruitmentDeps, organizationId: string, audienceId: string) {
  await getAudience(deps, organizationId, audienceId);
  return customRootOf(deps.db, audienceId);
}

export async function getRecruitment(
  deps: RecruitmentDeps,
  organizationId: string,
  audienceId: string,
  origin: string,
): Promise<Recruitment> {
  const root = await recruitingRoot(deps, organizationId, audienceId);
  if (root === null) return { audienceId, mode: 'open', study: null, entryUrl: null };
  const [row] = await store.findRecruitments(deps.db, [root]);
  return present(row, root, origin);
}

export async function setRecruitment(
  deps: RecruitmentDeps,
  organizationId: string,
  audienceId: string,
  input: SetRecruitment,
  origin: string,
): Promise<Recruitment> {
  await customAudience(deps, organizationId, audienceId);
  const parsed = setRecruitmentSchema.parse(input);
  const row: store.RecruitmentRow = {
    audience_id: audienceId,
    organization_id: organizationId,
    mode: parsed.mode,
    study: parsed.mode === 'study' ? JSON.stringify(parsed.study) : null,
    updated_at: deps.clock.now().toISOString(),
  };
  await store.upsertRecruitment(deps.db, row);
  forgetRecruitment(deps.db, audienceId);
  return present(row, audienceId, origin);
}

function presentInvite(row: store.InviteRow): AudienceInvite {
  return {
    id: row.id,
    audienceId: row.audience_id,
    kind: row.kind,
    maxUses: row.max_uses,
    uses: row.uses,
    label: row.label,
    state: row.revoked_at !== null ? 'revoked' : row.uses >= row.max_uses ? 'used' : 'active',
    createdAt: row.created_at,
    revokedAt: row.revoked_at,
  };
}

/** A new invite link; its token is returned once, in the URL, and stored hashed. */
export async function createInvite(
  deps: RecruitmentDeps,
  organizationId: string,
  audienceId: string,
  input: CreateAudienceInvite,
  origin: string,
): Promise<CreatedAudienceInvite> {
  await customAudience(deps, organizationId, audienceId);
  const token = newSecret('inv');
  const row: store.InviteRow = {
    id: newId('inv'),
    audience_id: audienceId,
    organization_id: organizationId,
    token_hash: hashSecret(token),
    kind: input.kind,
    max_uses: input.kind === 'single' ? 1 : (input.maxUses ?? 1),
    uses: 0,
    label: input.label ? input.label : null,
    created_at: deps.clock.now().toISOString(),
    revoked_at: null,
  };
  await store.insertInvite(deps.db, row);
  return { ...presentInvite(row), url: `${origin}/label/invite/${token}` };
}

export async function listInvites(
  deps: RecruitmentDeps,
  organizationId: string,
  audienceId: string,
  page: PageRequest,
): Promise<Page<AudienceInvite>> {
  const root = await recruitingRoot(deps, organizationId, audienceId);
  if (root === null) return pageArray([], page, 'invites');
  return mapPage(await store.listInvites(deps.db, organizationId, root, page), presentInvite);
}

export async function revokeInvite(
  deps: RecruitmentDeps,
  organizationId: string,
  audienceId: string,
  inviteId: string,
): Promise<void> {
  await getAudience(deps, organizationId, audienceId);
  const at = deps.clock.now().toISOString();
  if (!(await store.revokeInvite(deps.db, organizationId, audienceId, inviteId, at)))
    throw notFound('Invite link', inviteId);
}

// ---- Labelers entering

export interface Entered {
  audienceId: string;
  labeler: LabelerRow;
  /** A new labeler was made: the caller sets its session cookie. */
  created: boolean;
}

/**
 * Enters the invite link's audience as `labelerId` (a valid session), or as a new labeler. Unknown, revoked and
 * used-up links are INVALID_LINK; a labeler already in does not use the link again.
 */
export async function acceptInvite(
  deps: RecruitmentDeps,
  token: string,
  labelerId: string | undefined,
): Promise<Entered> {
  const link = await store.findInviteByHash(deps.db, hashSecret(token));
  if (!link)
    throw new AppError('INVALID_LINK', 'This invite link is not valid; ask whoever sent it for a new one.');
  if (link.revoked_at !== null)
    throw new AppError('INVALID_LINK', 'This invite link was withdrawn; ask whoever sent it for a new one.');
  const existing = labelerId ? await findLabelerById(deps.db, labelerId) : undefined;
  const at = deps.clock.now().toISOString();
  const entered = await withTransaction(deps.db, async (trx) => {
    if (
      existing &&
      (await store.findEntries(trx, existing.id)).some((e) => e.audience_id === link.audience_id)
    )
      return { audienceId: link.audience_id, labeler: existing, created: false };
    if (!(await store.takeInviteUse(trx, link.id)))
      throw new AppError(
        'INVALID_LINK',
        link.kind === 'single'
          ? 'This invite link was already used; each person needs their own.'
          : 'This invite link has admitted as many labelers as it may; ask whoever sent it for a new one.',
      );
    const labeler = existing ?? (await createLabeler(trx, at));
    await store.insertEntry(trx, {
      audience_id: link.audience_id,
      labeler_id: labeler.id,
      via: 'invite',
      invite_id: link.id,
      created_at: at,
    });
    return { audienceId: link.audience_id, labeler, created: existing === undefined };
  });
  forgetEntries(deps.db, entered.labeler.id);
  return entered;
}

/** The study settings of an audience recruiting from a site; NOT_FOUND otherwise (labelers see no more). */
export async function studyOf(db: Db, audienceId: string): Promise<StudySettings> {
  const [row] = await store.findRecruitments(db, [audienceId]);
  if (row?.mode !== 'study' || !row.study)
    throw new AppError('NOT_FOUND', `There is no study at ${audienceId}; check the link the study gave you.`);
  return studySettingsSchema.parse(JSON.parse(row.study));
}

const EXTERNAL_ID = /^[A-Za-z0-9_.:@-]{1,200}$/;

function externalId(params: Record<string, string>, name: string, required: boolean): string | null {
  const value = params[name];
  if (value === undefined || value === '') {
    if (!required) return null;
    throw new AppError(
      'VALIDATION_FAILED',
      `The link is missing your ${name}; open the study from its site again.`,
      {
        issues: [{ path: ['params', name], message: `${name} is required.` }],
      },
    );
  }
  if (!EXTERNAL_ID.test(value))
    throw new AppError('VALIDATION_FAILED', `${name} is not a valid id (letters, digits, _ . : @ -).`, {
      issues: [{ path: ['params', name], message: `${name} is not a valid id.` }],
    });
  return value;
}

/**
 * Enters a study from its entry URL's parameters: exactly one labeler per participant id (made on the first
 * entry, resumed after, whichever browser), with the latest study and session ids kept.
 */
export async function enterStudy(
  deps: RecruitmentDeps,
  audienceId: string,
  params: Record<string, string>,
  beforeNewLabeler: () => Promise<void> = async () => {},
): Promise<Entered> {
  const study = await studyOf(deps.db, audienceId);
  const participant = externalId(params, study.participantParam, true) as string;
  const studyId = externalId(params, study.studyParam, false);
  const sessionId = externalId(params, study.sessionParam, false);
  if (!(await store.findIdentity(deps.db, study.provider, participant))) await beforeNewLabeler();
  const at = deps.clock.now().toISOString();
  const entered = await withTransaction(deps.db, async (trx) => {
    const known = await store.findIdentity(trx, study.provider, participant);
    let labeler = known ? await findLabelerById(trx, known.labeler_id) : undefined;
    let created = false;
    if (!labeler) {
      const fresh = await createLabeler(trx, at);
      const claimed = await store.claimIdentity(trx, {
        provider: study.provider,
        external_id: participant,
        labeler_id: fresh.id,
        study_id: studyId,
        session_id: sessionId,
        created_at: at,
        updated_at: at,
      });
      if (!claimed) throw new RaceLost();
      labeler = fresh;
      created = true;
    } else {
      await store.updateIdentitySession(trx, study.provider, participant, {
        study_id: studyId,
        session_id: sessionId,
        updated_at: at,
      });
    }
    await store.insertEntry(trx, {
      audience_id: audienceId,
      labeler_id: labeler.id,
      via: 'study',
      invite_id: null,
      created_at: at,
    });
    return { audienceId, labeler, created };
  }).catch(async (error: unknown) => {
    // Another entry of the same participant committed first: theirs is the one labeler; enter as it.
    if (!(error instanceof RaceLost)) throw error;
    return enterStudy(deps, audienceId, params);
  });
  forgetEntries(deps.db, entered.labeler.id);
  return entered;
}

class RaceLost extends Error {}

/** Whether the labeler entered this audience (through an invite link or the study's entry URL). */
export async function hasEntered(db: Db, labelerId: string, audienceId: string): Promise<boolean> {
  return (await store.findEntries(db, labelerId)).some((e) => e.audience_id === audienceId);
}
