import { CopyField } from './ui.tsx';

/** The link to send labelers: /label serves each of them the tasks of the jobs their audiences admit them to. */
export function ShareLabelerLink({ what }: { what: 'job' | 'audience' }) {
  const url = `${window.location.origin}/label`;
  return (
    <section className="card wide share" aria-labelledby="share-title">
      <h2 id="share-title">Share with labelers</h2>
      <p>
        Send this link to the people who should label. {what === 'job' ? 'This job' : 'This audience'} reaches
        them there; labelers of a custom audience first answer its qualification examples.
      </p>
      <CopyField label="Labeler link" value={url} />
    </section>
  );
}
