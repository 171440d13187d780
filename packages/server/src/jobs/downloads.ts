// The job's results as files: CSV (RFC 4180) and JSON Lines, one datapoint per row, with the values of
// GET /api/v1/jobs/{id}/results (each task type flattens its own entries: task-types/<type>.ts `resultRows`).
import { taskTypeModule } from '../task-types/index.ts';
import type { Cell } from '../task-types/task-type.ts';
import type { JobDeps } from './definitions.ts';
import { type ResultsOptions, resultsInputOf } from './jobs.ts';

export interface Download {
  body: string;
  contentType: string;
  /** The Content-Disposition header: an attachment named after the job. */
  disposition: string;
}

async function rowsOf(deps: JobDeps, organizationId: string, id: string, options: ResultsOptions) {
  const input = await resultsInputOf(deps, organizationId, id, options);
  const type = taskTypeModule(input.type);
  const rows = type.resultRows(type.presentResults(input) as never, input);
  return {
    jobName: input.jobName,
    rows: rows.map((row, index) => {
      const datapoint = input.datapoints[index];
      return {
        datapointId: datapoint?.id ?? null,
        index,
        metadata: datapoint?.privateMetadata ?? {},
        ...row,
      };
    }),
  };
}

/** One CSV field: quoted when it holds a comma, a quote or a line break, its quotes doubled (RFC 4180). */
export function csvField(value: Cell): string {
  if (value === null) return '';
  const text = String(value);
  return /[",\r\n]/.test(text) ? `"${text.replaceAll('"', '""')}"` : text;
}

/** Rows as RFC 4180 CSV: a header of every column in order of first appearance, CRLF line ends. */
export function toCsv(rows: readonly Readonly<Record<string, Cell>>[]): string {
  const columns = [...new Set(rows.flatMap((r) => Object.keys(r)))];
  const lines = [columns, ...rows.map((r) => columns.map((c) => r[c] ?? null))];
  return `${lines.map((line) => line.map(csvField).join(',')).join('\r\n')}\r\n`;
}

/** Percent-encoding of RFC 8187 values: encodeURIComponent leaves ' ( ) * as they are, which it does not allow. */
const encodeRfc8187 = (text: string) =>
  encodeURIComponent(text).replace(/['()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`);

/** `attachment` with an ASCII file name and the UTF-8 one (RFC 6266 / RFC 8187), from the job's name. */
export function attachment(jobName: string, extension: string): string {
  const base = jobName.trim() || 'job';
  const ascii =
    base
      .normalize('NFKD')
      .replace(/[^\w .-]+/g, '')
      .trim()
      .replace(/\s+/g, '-') || 'job';
  const file = `${base} results.${extension}`;
  return `attachment; filename="${ascii}-results.${extension}"; filename*=UTF-8''${encodeRfc8187(file)}`;
}

export async function resultsCsv(
  deps: JobDeps,
  organizationId: string,
  id: string,
  options: ResultsOptions = {},
): Promise<Download> {
  const { jobName, rows } = await rowsOf(deps, organizationId, id, options);
  const body = toCsv(
    rows.map((r) => ({
      datapoint_id: r.datapointId,
      index: r.index,
      ...r.cells,
      ...Object.fromEntries(Object.entries(r.metadata).map(([k, v]) => [`metadata_${k}`, v])),
    })),
  );
  return { body, contentType: 'text/csv; charset=utf-8', disposition: attachment(jobName, 'csv') };
}

export async function resultsJsonl(
  deps: JobDeps,
  organizationId: string,
  id: string,
  options: ResultsOptions = {},
): Promise<Download> {
  const { jobName, rows } = await rowsOf(deps, organizationId, id, options);
  const body = rows.map(
    (r) => `${JSON.stringify({ datapointId: r.datapointId, index: r.index, ...r.entry })}\n`,
  );
  return {
    body: body.join(''),
    contentType: 'application/jsonl; charset=utf-8',
    disposition: attachment(jobName, 'jsonl'),
  };
}
