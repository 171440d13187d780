// Markdown for labeler texts, parsed by markdown-it into a small tree that React renders as elements and text
// nodes: raw HTML is off in the parser and no HTML string ever reaches the page (no innerHTML anywhere).
import MarkdownIt, { type Token } from 'markdown-it';

export type Inline =
  | { t: 'text'; v: string }
  | { t: 'code'; v: string }
  | { t: 'strong'; c: Inline[] }
  | { t: 'em'; c: Inline[] }
  | { t: 's'; c: Inline[] }
  | { t: 'link'; href: string; c: Inline[] }
  | { t: 'br' };

export type Block =
  | { t: 'p'; c: Inline[] }
  | { t: 'h'; level: 1 | 2 | 3 | 4 | 5 | 6; c: Inline[] }
  /** `tight`: the items' paragraphs are shown without <p> (no blank lines between the items). */
  | { t: 'ul'; tight: boolean; items: Block[][] }
  | { t: 'ol'; tight: boolean; start: number; items: Block[][] }
  | { t: 'pre'; v: string }
  | { t: 'quote'; c: Block[] }
  | { t: 'hr' };

// A site-relative link is one slash, never two: `//host/x` and `/\\host/x` go to another host.
const SAFE_HREF = /^(https?:\/\/|mailto:|\/(?![/\\])|#)/i;

/**
 * Only http(s), mailto, site-relative and fragment links survive; anything else (javascript:, data:,
 * protocol-relative) is text.
 */
export function safeHref(href: string): string | undefined {
  const trimmed = href.trim();
  return SAFE_HREF.test(trimmed) && !/[\s<>"]/.test(trimmed) ? trimmed : undefined;
}

// Images stay off (a text must not load other hosts' files on a labeler's page); tables have no node here yet.
const md = new MarkdownIt('default', { html: false, linkify: false, typographer: false }).disable([
  'image',
  'table',
]);
// Every link is judged once, by safeHref when the tree is built, so a refused link keeps its label as text.
md.validateLink = () => true;

export function parseInline(src: string): Inline[] {
  return inlineTree(md.parseInline(src, {})[0]?.children ?? []);
}

export function parseMarkdown(src: string): Block[] {
  return blockTree(md.parse(src, {}));
}

/** Inline tokens (one `inline` token's children) as a tree; unknown tokens keep their text. */
function inlineTree(tokens: Token[]): Inline[] {
  const root: Inline[] = [];
  const stack: { close: string; c: Inline[]; node?: Inline }[] = [{ close: '', c: root }];
  const top = () => stack[stack.length - 1] as (typeof stack)[number];
  const pushText = (v: string) => {
    if (!v) return;
    const out = top().c;
    const last = out[out.length - 1];
    if (last?.t === 'text') last.v += v;
    else out.push({ t: 'text', v });
  };
  for (const token of tokens) {
    switch (token.type) {
      case 'strong_open':
      case 'em_open':
      case 's_open': {
        const node = { t: token.type.slice(0, -5) as 'strong' | 'em' | 's', c: [] as Inline[] };
        top().c.push(node);
        stack.push({ close: token.type.replace('_open', '_close'), c: node.c });
        break;
      }
      case 'link_open': {
        const href = safeHref(String(token.attrGet('href') ?? ''));
        const node: Inline | undefined = href ? { t: 'link', href, c: [] } : undefined;
        if (node) top().c.push(node);
        // a refused link's label goes on into the surrounding list
        stack.push({ close: 'link_close', c: node?.c ?? top().c, node });
        break;
      }
      case 'strong_close':
      case 'em_close':
      case 's_close':
      case 'link_close':
        if (stack.length > 1 && top().close === token.type) stack.pop();
        break;
      case 'code_inline':
        top().c.push({ t: 'code', v: token.content });
        break;
      case 'softbreak':
      case 'hardbreak':
        top().c.push({ t: 'br' });
        break;
      default: // text, text_special (escapes, entities) and anything else with content
        pushText(token.content);
    }
  }
  return root;
}

/** Block tokens as a tree: each `*_open` collects the blocks up to its `*_close`. */
function blockTree(tokens: Token[]): Block[] {
  let i = 0;
  const blocks = (close?: string): Block[] => {
    const out: Block[] = [];
    while (i < tokens.length) {
      const token = tokens[i++] as Token;
      if (token.type === close) break;
      const block = blockAt(token);
      if (block) out.push(block);
    }
    return out;
  };
  const inlineUntil = (close: string): Inline[] => {
    const c: Inline[] = [];
    while (i < tokens.length) {
      const token = tokens[i++] as Token;
      if (token.type === close) break;
      if (token.type === 'inline') c.push(...inlineTree(token.children ?? []));
    }
    return c;
  };
  const listItems = (close: string): { tight: boolean; items: Block[][] } => {
    const items: Block[][] = [];
    let tight = true;
    while (i < tokens.length) {
      const token = tokens[i++] as Token;
      if (token.type === close) break;
      if (token.type !== 'list_item_open') continue;
      // markdown-it hides the paragraphs of a tight list's items (all or none of them)
      for (let j = i; j < tokens.length && (tokens[j] as Token).level > token.level; j++) {
        const t = tokens[j] as Token;
        if (t.type === 'paragraph_open' && t.level === token.level + 1 && !t.hidden) tight = false;
      }
      items.push(blocks('list_item_close'));
    }
    return { tight, items };
  };
  const blockAt = (token: Token): Block | undefined => {
    switch (token.type) {
      case 'paragraph_open':
        return { t: 'p', c: inlineUntil('paragraph_close') };
      case 'heading_open':
        return { t: 'h', level: Number(token.tag.slice(1)) as 1, c: inlineUntil('heading_close') };
      case 'bullet_list_open':
        return { t: 'ul', ...listItems('bullet_list_close') };
      case 'ordered_list_open': {
        const start = Number(token.attrGet('start') ?? 1);
        return { t: 'ol', ...listItems('ordered_list_close'), start };
      }
      case 'blockquote_open':
        return { t: 'quote', c: blocks('blockquote_close') };
      case 'fence':
      case 'code_block':
        return { t: 'pre', v: token.content.replace(/\n$/, '') };
      case 'hr':
        return { t: 'hr' };
      case 'inline': // not reached from the rules enabled above; kept as a paragraph rather than lost
        return { t: 'p', c: inlineTree(token.children ?? []) };
      default:
        return undefined;
    }
  };
  return blocks();
}
