import type { DraftResponse } from '../../../shared/workshop';
import { TextDiff } from '../../components/text-diff';
import type { DraftFields } from './use-draft-editor';

interface Props {
  theirs: DraftResponse;
  mine: DraftFields;
  onLoadTheirs: () => void;
  onKeepMine: () => void;
}

const FIELDS = [
  ['draft_name', 'Name'],
  ['draft_description', 'Description'],
] as const;

/** Another tab saved this draft while this one has unsaved changes: what differs, then the choice. */
export function ConflictBanner({ theirs, mine, onLoadTheirs, onKeepMine }: Props) {
  const fieldDiffs = FIELDS.filter(([key]) => theirs[key] !== mine[key].trim());
  const contentDiffers = theirs.draft_content !== mine.draft_content;
  return (
    <div role="alert" className="alert warning conflict" id="draft-conflict">
      <p>
        This draft was changed somewhere else (another tab or window) while this tab has changes that are not
        saved. Here is what differs; then choose which version to keep.
      </p>
      {fieldDiffs.length > 0 && (
        <dl className="conflict-fields" id="conflict-fields">
          {fieldDiffs.map(([key, label]) => (
            <div key={key} data-field={key}>
              <dt>{label}</dt>
              <dd>
                <span className="muted small">other version: </span>
                <span data-side="theirs">{theirs[key] || '(empty)'}</span>
                <br />
                <span className="muted small">yours: </span>
                <span data-side="mine">{mine[key].trim() || '(empty)'}</span>
              </dd>
            </div>
          ))}
        </dl>
      )}
      {contentDiffers ? (
        <>
          <p className="muted small">
            Prompt text: lines marked − are only in the other version, + only in yours.
          </p>
          <TextDiff id="conflict-diff" before={theirs.draft_content} after={mine.draft_content} />
        </>
      ) : (
        <p className="muted small" id="conflict-content-same">
          The prompt text is the same in both.
        </p>
      )}
      <div className="button-row">
        <button type="button" className="btn btn-small" id="conflict-reload" onClick={onLoadTheirs}>
          Load the other version
        </button>
        <button
          type="button"
          className="btn btn-small btn-danger"
          id="conflict-overwrite"
          onClick={onKeepMine}
        >
          Keep mine (overwrite)
        </button>
      </div>
    </div>
  );
}
