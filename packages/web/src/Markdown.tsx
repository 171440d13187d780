// biome-ignore-all lint/suspicious/noArrayIndexKey: parsed Markdown nodes have no identity but their position, and the tree is rebuilt whole when the text changes
import { type ReactNode, useMemo } from 'react';
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
      return (
        <ul key={i}>
          {node.items.map((item, j) => (
            <li key={j}>{inline(item)}</li>
          ))}
        </ul>
      );
    case 'ol':
      return (
        <ol key={i} start={node.start}>
          {node.items.map((item, j) => (
            <li key={j}>{inline(item)}</li>
          ))}
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

/** Markdown text as React elements (headings start at h3 so they sit below the page's own headings). */
export function Markdown({ text }: { text: string }) {
  const blocks = useMemo(() => parseMarkdown(text), [text]);
  return <div className="markdown">{blocks.map(block)}</div>;
}
