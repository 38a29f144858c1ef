import { plainFromMarkdown } from '../../lib/format';

/** Why a cell was not answered, as a sentence for its dialog (the stored reason is one word). */
export function skipSentence(reason: string): string {
  if (reason === 'cancelled') return 'Not answered: the run was cancelled before this cell finished.';
  if (reason === 'budget') return "Not answered: the run reached its budget before this cell's turn.";
  return `Not answered: ${reason}.`;
}

/** What a matrix cell previews: a skipped cell's reason, not the error its aborted call left; an answer's words. */
export function cellPreview(cell: {
  status: string;
  error: string | null;
  answer: string | null;
  skipped_reason: string | null;
}): string {
  if (cell.status === 'skipped') return `skipped: ${cell.skipped_reason ?? 'no reason given'}`;
  // An answer's markdown (its citations above all, [Title](URL)) would fill the preview with marks.
  return cell.error ?? plainFromMarkdown(cell.answer ?? '');
}
