import type { AssetItemInput } from '@jury/api';
import type { JuryClient } from '../client.ts';
import { JuryUploadError, JuryValidationError } from '../errors.ts';
import { toItemInput } from '../jobs/upload.ts';

// Early checks and uploads shared by client.mri's methods: the contract's own zod schemas check the input (the
// same rules and wording as the server) before anything uploads; local files upload through the SDK's pool.

/** A placeholder for a media item not uploaded yet, so the contract's schema can check the lists. */
const PENDING_ASSET: AssetItemInput = { assetId: 'pending', name: 'pending' };

/**
 * @internal Paths and URLs become placeholders for the contract's schema (nulls stay where `nullable`); anything else
 * is named here, since the schema would only say it expected an uploaded asset.
 */
export function pendingMedia(method: string, field: string, list: unknown, nullable = false) {
  if (list === undefined) return undefined;
  if (!Array.isArray(list)) throw invalidField(method, field, `${field} is a list of file paths or URLs.`);
  return list.map((m, i) => {
    if (m === null && nullable) return null;
    if (typeof m !== 'string' || m.trim() === '')
      throw invalidField(
        method,
        `${field}.${i}`,
        `${field}[${i}] is ${JSON.stringify(m)}; give a file path or an http(s) URL${nullable ? ' (or null)' : ''}.`,
      );
    return PENDING_ASSET;
  });
}

interface ZodLikeIssue {
  path: PropertyKey[];
  message: string;
  code?: string;
  errors?: ZodLikeIssue[][];
}

/** A union's "Invalid input" says nothing: report the issues of the branch that came closest instead. */
function flatten(issues: readonly ZodLikeIssue[]): ZodLikeIssue[] {
  return issues.flatMap((i) => {
    if (i.code !== 'invalid_union' || !i.errors?.length) return [i];
    const closest = [...i.errors].sort((a, b) => a.length - b.length)[0]!;
    return flatten(closest.map((e) => ({ ...e, path: [...i.path, ...e.path] })));
  });
}

/** @internal A JuryValidationError listing every issue of a failed schema check (nothing was uploaded). */
function invalidInput(method: string, issues: readonly ZodLikeIssue[]): JuryValidationError {
  const rows = flatten(issues).map((i) => ({
    path: i.path.map(String).join('.') || '(options)',
    message: i.message,
  }));
  return new JuryValidationError({
    code: 'VALIDATION_FAILED',
    message: `Invalid input to ${method} (nothing was uploaded or created):\n${rows.map((r) => `  ${r.path}: ${r.message}`).join('\n')}`,
    details: { issues: rows },
  });
}

/** @internal Checks `value` with a contract schema; returns the parsed value or throws {@link invalidInput}. */
export function checked<T>(
  method: string,
  schema: {
    safeParse(v: unknown): { success: true; data: T } | { success: false; error: { issues: ZodLikeIssue[] } };
  },
  value: unknown,
): T {
  const r = schema.safeParse(value);
  if (!r.success) throw invalidInput(method, r.error.issues);
  return r.data;
}

/** @internal One issue as a JuryValidationError. */
export const invalidField = (method: string, path: string, message: string) =>
  invalidInput(method, [{ path: [path], message }]);

/** @internal A string option that must be non-empty. */
export function checkName(method: string, name: unknown, what = 'name'): string {
  if (typeof name !== 'string' || name.trim() === '')
    throw invalidField(method, what, `Give ${what} as a non-empty string; got ${JSON.stringify(name)}.`);
  if (name.trim().length > 200)
    throw invalidField(method, what, `${what} is at most 200 characters; got ${name.trim().length}.`);
  return name;
}

/**
 * @internal Uploads local files and registers URLs (each distinct item once, through the bounded pool); returns
 * the asset inputs in the order given. Any failure throws the {@link JuryUploadError} of the batch.
 */
export async function uploadMedia(
  client: JuryClient,
  method: string,
  items: readonly string[],
): Promise<AssetItemInput[]> {
  const distinct = [...new Set(items)];
  let resolved: Awaited<ReturnType<JuryClient['assets']['resolveItems']>>;
  try {
    resolved = await client.assets.resolveItems(distinct, 'media');
  } catch (err) {
    if (err instanceof JuryUploadError) err.message = `${method}: ${err.message} (nothing was created)`;
    throw err;
  }
  const byItem = new Map(distinct.map((item, i) => [item, toItemInput(resolved[i]!) as AssetItemInput]));
  return items.map((item) => byItem.get(item)!);
}
