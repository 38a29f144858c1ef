import type { DraftResponse } from '../../../shared/workshop';
import { TextDiff } from '../../components/text-diff';
import { formatDateTime } from '../../lib/format';
import type { Recovered } from './use-draft-editor';

interface Props {
  recovered: Recovered;
  server: DraftResponse;
  onRestore: () => void;
  onDiscard: () => void;
}

/** Edits this browser kept from a visit that ended before they were saved: restore or discard. */
export function RecoveredBanner({ recovered, server, onRestore, onDiscard }: Props) {
  const { copy, serverRevision } = recovered;
  const moved = serverRevision !== copy.revision;
  return (
    <section className="alert warning recovered" id="draft-recovered" aria-labelledby="draft-recovered-text">
      <p id="draft-recovered-text">
        Unsaved changes from <time dateTime={copy.savedAt}>{formatDateTime(copy.savedAt)}</time> were found.
      </p>
      {moved && (
        <p id="draft-recovered-moved">
          The draft was saved again since those changes were made (revision {copy.revision} then,{' '}
          {serverRevision} now); restoring puts your changes over the newer version.
        </p>
      )}
      {copy.fields.draft_content !== undefined && copy.fields.draft_content !== server.draft_content && (
        <details>
          <summary>What restoring changes in the prompt text</summary>
          <TextDiff id="recovered-diff" before={server.draft_content} after={copy.fields.draft_content} />
        </details>
      )}
      <div className="button-row">
        <button
          type="button"
          className="btn btn-small btn-primary"
          id="recovered-restore"
          onClick={onRestore}
        >
          Restore
        </button>
        <button type="button" className="btn btn-small" id="recovered-discard" onClick={onDiscard}>
          Discard
        </button>
      </div>
    </section>
  );
}
