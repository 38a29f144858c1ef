import { truncateText } from '../../lib/format';

// Rating notes shown beside a run: plain text (React escapes it), cut to a short preview with the
// whole note one step away.

const NOTES_PREVIEW_CHARS = 80;

/**
 * `inline` (inside a button, where no interactive element may go): the preview, the whole note as
 * its tooltip. `expandable`: the preview as a disclosure that opens onto the whole note.
 */
export function NotesPreview({ notes, mode }: { notes: string | null; mode: 'inline' | 'expandable' }) {
  if (!notes?.trim()) return mode === 'inline' ? null : <span className="muted">no notes</span>;
  const { text: preview, cut } = truncateText(notes, NOTES_PREVIEW_CHARS);
  if (mode === 'inline' || !cut) {
    return (
      <span className="run-notes" title={cut ? notes : undefined}>
        {mode === 'inline' && <span className="visually-hidden">Notes: </span>}
        {preview}
      </span>
    );
  }
  return (
    <details className="run-notes">
      <summary>{preview}</summary>
      <p className="run-notes-full">{notes}</p>
    </details>
  );
}
