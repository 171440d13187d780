import type { LabelerItem } from '@jury/api';
import { Markdown } from '../Markdown.tsx';

/** One datapoint item: text (Markdown when the definition says so), image, video or audio. */
export function ItemView({ item, markdown, label }: { item: LabelerItem; markdown: boolean; label: string }) {
  if (item.type === 'text')
    return markdown ? <Markdown text={item.text} /> : <p className="plain-text">{item.text}</p>;
  switch (item.kind) {
    case 'image':
      return <img className="media" src={item.url} alt={label} decoding="async" />;
    case 'video':
      return (
        // biome-ignore lint/a11y/useMediaCaption: requester media come without caption tracks
        <video className="media" src={item.url} controls preload="metadata" playsInline aria-label={label} />
      );
    case 'audio':
      return (
        // biome-ignore lint/a11y/useMediaCaption: requester media come without caption tracks
        <audio className="media-audio" src={item.url} controls preload="metadata" aria-label={label} />
      );
    default:
      return null;
  }
}
