// biome-ignore-all lint/suspicious/noArrayIndexKey: parsed Markdown nodes have no identity but their position, and the tree is rebuilt whole when the text changes
import { Fragment, type ReactNode, useMemo } from 'react';
import { type Block, type Inline, parseMarkdown } from './markdown.ts';

function inline(nodes: Inline[]): ReactNode[] {
  return nodes.map((node, i) => {
    switch (node.t) {
      case 'text':
        return node.v;
      case 'code':
        return <code key={i}>{node.v}</code>;
      case 'strong':
        return <strong key={i}>{inline(node.c)}</strong>;
      case 'em':
        return <em key={i}>{inline(node.c)}</em>;
      case 's':
        return <s key={i}>{inline(node.c)}</s>;
      case 'br':
        return <br key={i} />;
      case 'link':
        return (
          <a key={i} href={node.href} target="_blank" rel="noopener noreferrer nofollow">
            {inline(node.c)}
          </a>
        );
      default:
        return null;
    }
  });
}

function block(node: Block, i: number): ReactNode {
  switch (node.t) {
    case 'p':
      return <p key={i}>{inline(node.c)}</p>;
    case 'h': {
      const Tag = `h${Math.min(6, node.level + 2)}` as 'h3';
      return <Tag key={i}>{inline(node.c)}</Tag>;
    }
    case 'ul':
      return <ul key={i}>{node.items.map((item, j) => listItem(item, node.tight, j))}</ul>;
    case 'ol':
      return (
        <ol key={i} start={node.start}>
          {node.items.map((item, j) => listItem(item, node.tight, j))}
        </ol>
      );
    case 'pre':
      return (
        <pre key={i}>
          <code>{node.v}</code>
        </pre>
      );
    case 'quote':
      return <blockquote key={i}>{node.c.map(block)}</blockquote>;
    case 'hr':
      return <hr key={i} />;
    default:
      return null;
  }
}

/** A list item; in a tight list its paragraphs are bare text, as Markdown renders them. */
function listItem(item: Block[], tight: boolean, j: number): ReactNode {
  return (
    <li key={j}>
      {item.map((node, k) =>
        tight && node.t === 'p' ? <Fragment key={k}>{inline(node.c)}</Fragment> : block(node, k),
      )}
    </li>
  );
}

/** Markdown text as React elements (headings start at h3 so they sit below the page's own headings). */
export function Markdown({ text }: { text: string }) {
  const blocks = useMemo(() => parseMarkdown(text), [text]);
  return <div className="markdown">{blocks.map(block)}</div>;
}
