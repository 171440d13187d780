import { BATTLE_WINNERS, type Battle, battleSchema } from '@jury/api';
import { AppError } from '../http/errors.ts';

// Battles as CSV: a header naming model_a, model_b and winner (prompt optional), one battle a line; fields may be
// quoted ("…", "" for a quote), as spreadsheets and pandas write them.

function splitLine(line: string): string[] {
  const out: string[] = [];
  let field = '';
  let quoted = false;
  for (let i = 0; i < line.length; i++) {
    const ch = line[i]!;
    if (quoted) {
      if (ch === '"' && line[i + 1] === '"') {
        field += '"';
        i++;
      } else if (ch === '"') quoted = false;
      else field += ch;
    } else if (ch === '"') quoted = true;
    else if (ch === ',') {
      out.push(field);
      field = '';
    } else field += ch;
  }
  out.push(field);
  return out.map((f) => f.trim());
}

const fail = (message: string) =>
  new AppError('VALIDATION_FAILED', message, {
    target: 'body',
    issues: [{ path: 'csv', message, code: 'custom' }],
  });

export function parseBattles(csv: string): Battle[] {
  const lines = csv.split(/\r?\n/).filter((l) => l.trim() !== '');
  const header = splitLine(lines[0] ?? '').map((h) => h.toLowerCase());
  const column = (name: string) => header.indexOf(name);
  const [a, b, w, p] = [column('model_a'), column('model_b'), column('winner'), column('prompt')];
  if (a < 0 || b < 0 || w < 0)
    throw fail(
      `The CSV header must name model_a, model_b and winner (prompt optional); it has ${JSON.stringify(header)}.`,
    );
  if (lines.length < 2) throw fail('The CSV has a header but no battles.');
  return lines.slice(1).map((line, i) => {
    const f = splitLine(line);
    const raw = {
      modelA: f[a],
      modelB: f[b],
      winner: f[w],
      ...(p >= 0 && f[p] ? { prompt: f[p] } : {}),
    };
    const parsed = battleSchema.safeParse(raw);
    if (!parsed.success)
      throw fail(
        `CSV line ${i + 2}: ${parsed.error.issues[0]?.message ?? 'invalid battle'} (winner is one of ${BATTLE_WINNERS.join(', ')}; model_a and model_b are two different names).`,
      );
    return parsed.data;
  });
}
