import { Spinner } from '../../components/spinner';
import type { SaveState } from './use-draft-editor';

/** The autosave state in words: saved, unsaved, saving, failed. */
export function SaveStatus({ state }: { state: SaveState }) {
  let text: string;
  let tone: string;
  switch (state.kind) {
    case 'saved':
      text = 'All changes saved';
      tone = 'ok';
      break;
    case 'dirty':
      text = 'Unsaved changes';
      tone = 'pending';
      break;
    case 'saving':
      text = 'Saving…';
      tone = 'pending';
      break;
    case 'invalid':
      text = `Not saved: ${state.detail}`;
      tone = 'bad';
      break;
    case 'error':
      text = `Save failed: ${state.detail}`;
      tone = 'bad';
      break;
    case 'conflict':
      text = 'Not saved: changed in another tab';
      tone = 'bad';
      break;
  }
  return (
    <span id="save-state" className={`save-state ${tone}`} role="status" data-state={state.kind}>
      {state.kind === 'saving' ? (
        <Spinner label="" />
      ) : (
        <span aria-hidden="true">{tone === 'ok' ? '✓' : tone === 'bad' ? '!' : '•'}</span>
      )}{' '}
      {text}
    </span>
  );
}
