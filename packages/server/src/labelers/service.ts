import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto';
import type { CreateLabelerSession, LabelerProfile, UpdateLabelerProfile } from '@jury/api';
import { userScore } from '@jury/stats';
import type { Db } from '../db/database.ts';
import { cachePerDatabase } from '../http/cache.ts';
import type { Clock } from '../http/clock.ts';
import { AppError } from '../http/errors.ts';
import { newId } from '../http/ids.ts';
import type { LabelerRow } from './store.ts';
import * as store from './store.ts';

export interface LabelerDeps {
  db: Db;
  clock: Clock;
}

const SECRET_KEY = 'labeler_cookie_secret';
/** A labeler's last_seen_at is written at most this often (it would otherwise cost a write per request). */
const TOUCH_EVERY_MS = 60_000;

/** The trust score a labeler starts with: the prior of `userScore` (no graded answers yet). */
export const INITIAL_USER_SCORE = userScore([]);

// One secret per database, shared by every server process on it; read once per process.
const secrets = cachePerDatabase<typeof SECRET_KEY, Promise<Buffer>>({ max: 1 });

function cookieSecret(deps: LabelerDeps): Promise<Buffer> {
  const cache = secrets(deps.db);
  let secret = cache.get(SECRET_KEY);
  if (!secret) {
    secret = store
      .ensureSetting(
        deps.db,
        SECRET_KEY,
        randomBytes(32).toString('base64url'),
        deps.clock.now().toISOString(),
      )
      .then((v) => Buffer.from(v, 'base64url'));
    secret.catch(() => cache.delete(SECRET_KEY));
    cache.set(SECRET_KEY, secret);
  }
  return secret;
}

const ADDRESS_SECRET_KEY = 'address_hash_secret';
const addressSecrets = cachePerDatabase<typeof ADDRESS_SECRET_KEY, Promise<Buffer>>({ max: 1 });

/**
 * The key of client-address hashes (limits/address.ts: leases and responses store a keyed hash of the address,
 * never the address). One per database, like the cookie secret, so every process hashes an address alike.
 */
export function addressHashSecret(deps: LabelerDeps): Promise<Buffer> {
  const cache = addressSecrets(deps.db);
  let secret = cache.get(ADDRESS_SECRET_KEY);
  if (!secret) {
    const fresh = randomBytes(32).toString('base64url');
    secret = store
      .ensureSetting(deps.db, ADDRESS_SECRET_KEY, fresh, deps.clock.now().toISOString())
      .then((v) => Buffer.from(v, 'base64url'));
    secret.catch(() => cache.delete(ADDRESS_SECRET_KEY));
    cache.set(ADDRESS_SECRET_KEY, secret);
  }
  return secret;
}

function mac(secret: Buffer, labelerId: string): string {
  return createHmac('sha256', secret).update(`labeler:${labelerId}`).digest('base64url');
}

/** The cookie value: `<labelerId>.<HMAC-SHA256(secret, labelerId)>`. */
export async function signLabelerCookie(deps: LabelerDeps, labelerId: string): Promise<string> {
  return `${labelerId}.${mac(await cookieSecret(deps), labelerId)}`;
}

// Verified cookie values → labeler id, so a labeler's requests skip the HMAC after the first.
const verified = cachePerDatabase<string, string>({ max: 20_000 });

/** The labeler id in a cookie value if its signature is valid, else undefined. */
export async function verifyLabelerCookie(deps: LabelerDeps, value: string | undefined) {
  if (!value) return undefined;
  const known = verified(deps.db);
  const hit = known.get(value);
  if (hit) return hit;
  const id = await checkSignature(deps, value);
  if (id) known.set(value, id);
  return id;
}

async function checkSignature(deps: LabelerDeps, value: string): Promise<string | undefined> {
  const dot = value.lastIndexOf('.');
  if (dot <= 0) return undefined;
  const id = value.slice(0, dot);
  const given = Buffer.from(value.slice(dot + 1), 'base64url');
  const expected = Buffer.from(mac(await cookieSecret(deps), id), 'base64url');
  return given.length === expected.length && timingSafeEqual(given, expected) ? id : undefined;
}

export function presentLabeler(row: LabelerRow): LabelerProfile {
  return {
    id: row.id,
    kind: row.kind,
    country: row.country,
    language: row.language,
    demographics: row.demographics ? (JSON.parse(row.demographics) as Record<string, string | number>) : null,
    userScore: row.user_score,
    profileComplete: row.country !== null && row.language !== null,
    createdAt: row.created_at,
  };
}

// Every labeler request needs its labeler row; a short-lived per-process cache saves a query on each. Writes
// through this module evict the entry; another process's writes show after at most its ttlMs.
const rows = cachePerDatabase<string, LabelerRow>({ max: 20_000, ttlMs: 2000 });

/** Drops a labeler's cached row (after changing it). */
export function forgetLabeler(db: Db, labelerId: string): void {
  rows(db).delete(labelerId);
}

async function loadLabeler(db: Db, id: string): Promise<LabelerRow | undefined> {
  // Copies in and out: callers change their row (last_seen_at) without changing the cached one.
  const hit = rows(db).get(id);
  if (hit) return { ...hit };
  const row = await store.findLabeler(db, id);
  if (row) rows(db).set(id, { ...row });
  return row;
}

/**
 * The labeler behind a session cookie. A missing, forged or unknown cookie is UNAUTHENTICATED (the labeler
 * app then calls POST /api/v1/labeler/session).
 */
export async function authenticateLabeler(
  deps: LabelerDeps,
  cookie: string | undefined,
): Promise<LabelerRow> {
  const id = await verifyLabelerCookie(deps, cookie);
  const row = id ? await loadLabeler(deps.db, id) : undefined;
  if (!row)
    throw new AppError(
      'UNAUTHENTICATED',
      cookie
        ? 'The labeler session cookie is invalid; start a new session with POST /api/v1/labeler/session.'
        : 'No labeler session; start one with POST /api/v1/labeler/session (it sets the session cookie).',
    );
  const now = deps.clock.now();
  if (now.getTime() - Date.parse(row.last_seen_at) > TOUCH_EVERY_MS) {
    row.last_seen_at = now.toISOString();
    await store.touchLabeler(deps.db, row.id, row.last_seen_at);
    forgetLabeler(deps.db, row.id);
  }
  return row;
}

/** Resumes the session of a valid cookie, or creates an anonymous labeler (with the optional profile). */
export async function startLabelerSession(
  deps: LabelerDeps,
  cookie: string | undefined,
  input: CreateLabelerSession | undefined,
): Promise<{ labeler: LabelerRow; cookie: string; created: boolean }> {
  const existingId = await verifyLabelerCookie(deps, cookie);
  const existing = existingId ? await store.findLabeler(deps.db, existingId) : undefined;
  if (existing && cookie) return { labeler: existing, cookie, created: false };
  const labeler = await createLabeler(deps.db, deps.clock.now().toISOString(), input);
  return { labeler, cookie: await signLabelerCookie(deps, labeler.id), created: true };
}

/** A new anonymous labeler (with the optional profile); `db` may be a transaction. */
export async function createLabeler(db: Db, at: string, input?: CreateLabelerSession): Promise<LabelerRow> {
  const labeler: LabelerRow = {
    id: newId('lab'),
    kind: input?.kind ?? 'human',
    country: input?.country ?? null,
    language: input?.language ?? null,
    demographics: input?.demographics ? JSON.stringify(input.demographics) : null,
    user_score: INITIAL_USER_SCORE,
    created_at: at,
    last_seen_at: at,
  };
  await store.insertLabeler(db, labeler);
  return labeler;
}

/** The labeler with this id, if any. */
export async function findLabelerById(db: Db, id: string): Promise<LabelerRow | undefined> {
  return loadLabeler(db, id);
}

export async function updateLabelerProfile(
  deps: LabelerDeps,
  labeler: LabelerRow,
  input: UpdateLabelerProfile,
): Promise<LabelerRow> {
  const demographics =
    input.demographics === undefined
      ? labeler.demographics
      : input.demographics === null
        ? null
        : JSON.stringify(input.demographics);
  const profile = { country: input.country, language: input.language, demographics };
  await store.updateLabelerProfile(deps.db, labeler.id, profile);
  forgetLabeler(deps.db, labeler.id);
  return { ...labeler, ...profile };
}
