// A deliberately small, safe Markdown subset for labeler texts. It parses to a tree that React renders as
// elements and text nodes, so no HTML from the input can ever reach the page (no innerHTML anywhere).

export type Inline =
  | { t: 'text'; v: string }
  | { t: 'code'; v: string }
  | { t: 'strong'; c: Inline[] }
  | { t: 'em'; c: Inline[] }
  | { t: 'link'; href: string; c: Inline[] }
  | { t: 'br' };

export type Block =
  | { t: 'p'; c: Inline[] }
  | { t: 'h'; level: 1 | 2 | 3 | 4 | 5 | 6; c: Inline[] }
  | { t: 'ul'; items: Inline[][] }
  | { t: 'ol'; start: number; items: Inline[][] }
  | { t: 'pre'; v: string }
  | { t: 'quote'; c: Block[] }
  | { t: 'hr' };

const SAFE_HREF = /^(https?:\/\/|mailto:|\/|#)/i;

/** Only http(s), mailto, site-relative and fragment links survive; anything else (javascript:, data:) is text. */
export function safeHref(href: string): string | undefined {
  const trimmed = href.trim();
  return SAFE_HREF.test(trimmed) && !/[\s<>"]/.test(trimmed) ? trimmed : undefined;
}

const ESCAPABLE = '\\`*_[]()#+-.!>';

export function parseInline(src: string): Inline[] {
  const out: Inline[] = [];
  let text = '';
  const flush = () => {
    if (text) out.push({ t: 'text', v: text });
    text = '';
  };
  let i = 0;
  while (i < src.length) {
    const ch = src[i] as string;
    if (ch === '\\' && i + 1 < src.length && ESCAPABLE.includes(src[i + 1] as string)) {
      text += src[i + 1];
      i += 2;
      continue;
    }
    if (ch === '\n') {
      flush();
      out.push({ t: 'br' });
      i++;
      continue;
    }
    if (ch === '`') {
      const end = src.indexOf('`', i + 1);
      if (end > i + 1) {
        flush();
        out.push({ t: 'code', v: src.slice(i + 1, end) });
        i = end + 1;
        continue;
      }
    }
    if ((ch === '*' || ch === '_') && src[i + 1] === ch) {
      const end = src.indexOf(ch + ch, i + 2);
      if (end > i + 2 && src[i + 2] !== ' ') {
        flush();
        out.push({ t: 'strong', c: parseInline(src.slice(i + 2, end)) });
        i = end + 2;
        continue;
      }
    }
    if (ch === '*' || ch === '_') {
      // `_` only at a word start, so snake_case_names stay as they are.
      const wordStart = ch === '*' || i === 0 || !/[\p{L}\p{N}]/u.test(src[i - 1] as string);
      const end = findSingle(src, ch, i + 1);
      if (wordStart && end > i + 1 && src[i + 1] !== ' ') {
        flush();
        out.push({ t: 'em', c: parseInline(src.slice(i + 1, end)) });
        i = end + 1;
        continue;
      }
    }
    if (ch === '[') {
      const close = src.indexOf('](', i + 1);
      const paren = close > i ? matchingParen(src, close + 1) : -1;
      if (close > i && paren > close) {
        const href = safeHref(src.slice(close + 2, paren));
        const label = parseInline(src.slice(i + 1, close));
        flush();
        if (href) out.push({ t: 'link', href, c: label });
        else out.push(...label);
        i = paren + 1;
        continue;
      }
    }
    text += ch;
    i++;
  }
  flush();
  return out;
}

/** The index of the `)` closing the `(` at `open` (nested pairs allowed, as in URLs), or -1. */
function matchingParen(src: string, open: number): number {
  let depth = 0;
  for (let j = open; j < src.length; j++) {
    if (src[j] === '(') depth++;
    else if (src[j] === ')' && --depth === 0) return j;
    else if (src[j] === '\n') return -1;
  }
  return -1;
}

/** The next single `ch` (not part of a doubled `chch`) after `from`, or -1. */
function findSingle(src: string, ch: string, from: number): number {
  for (let j = from; j < src.length; j++) {
    if (src[j] === '\\') {
      j++;
      continue;
    }
    if (src[j] !== ch) continue;
    if (src[j + 1] === ch) {
      j++;
      continue;
    }
    return src[j - 1] === ' ' ? -1 : j;
  }
  return -1;
}

const HEADING = /^(#{1,6})\s+(.*?)\s*#*\s*$/;
const BULLET = /^\s{0,3}[-*+]\s+(.*)$/;
const ORDERED = /^\s{0,3}(\d{1,9})[.)]\s+(.*)$/;
const FENCE = /^\s{0,3}(`{3,}|~{3,})/;
const RULE = /^\s{0,3}([-*_])(\s*\1){2,}\s*$/;
const QUOTE = /^\s{0,3}>\s?(.*)$/;

export function parseMarkdown(src: string): Block[] {
  const lines = src.replace(/\r\n?/g, '\n').split('\n');
  const blocks: Block[] = [];
  let i = 0;
  while (i < lines.length) {
    const line = lines[i] as string;
    if (!line.trim()) {
      i++;
      continue;
    }
    const fence = FENCE.exec(line);
    if (fence) {
      const marker = fence[1] as string;
      const body: string[] = [];
      i++;
      while (i < lines.length && !(lines[i] as string).trimStart().startsWith(marker))
        body.push(lines[i++] as string);
      i++; // the closing fence (or the end)
      blocks.push({ t: 'pre', v: body.join('\n') });
      continue;
    }
    const heading = HEADING.exec(line);
    if (heading) {
      const level = (heading[1] as string).length as 1 | 2 | 3 | 4 | 5 | 6;
      blocks.push({ t: 'h', level, c: parseInline(heading[2] as string) });
      i++;
      continue;
    }
    if (RULE.test(line)) {
      blocks.push({ t: 'hr' });
      i++;
      continue;
    }
    if (QUOTE.test(line)) {
      const body: string[] = [];
      while (i < lines.length && QUOTE.test(lines[i] as string))
        body.push((QUOTE.exec(lines[i++] as string) as RegExpExecArray)[1] as string);
      blocks.push({ t: 'quote', c: parseMarkdown(body.join('\n')) });
      continue;
    }
    const bullet = BULLET.exec(line);
    const ordered = ORDERED.exec(line);
    if (bullet || ordered) {
      const pattern = bullet ? BULLET : ORDERED;
      const items: string[] = [];
      while (i < lines.length) {
        const current = lines[i] as string;
        const m = pattern.exec(current);
        if (m) items.push((bullet ? m[1] : m[2]) as string);
        else if (current.trim() && /^\s+/.test(current) && items.length)
          items[items.length - 1] += `\n${current.trim()}`;
        else break;
        i++;
      }
      const parsed = items.map(parseInline);
      blocks.push(
        bullet ? { t: 'ul', items: parsed } : { t: 'ol', start: Number(ordered?.[1] ?? 1), items: parsed },
      );
      continue;
    }
    const para: string[] = [];
    while (i < lines.length) {
      const current = lines[i] as string;
      if (!current.trim() || FENCE.test(current) || HEADING.test(current) || QUOTE.test(current)) break;
      if (para.length && (BULLET.test(current) || ORDERED.test(current) || RULE.test(current))) break;
      para.push(current);
      i++;
    }
    blocks.push({ t: 'p', c: parseInline(para.join('\n')) });
  }
  return blocks;
}
