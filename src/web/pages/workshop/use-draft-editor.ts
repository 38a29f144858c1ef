import { useQueryClient } from '@tanstack/react-query';
import { useCallback, useEffect, useMemo, useRef, useState } from 'react';
import { type DraftResponse, type DraftStatus, updateDraftRequest } from '../../../shared/workshop';
import { errorMessage } from '../../api/http';
import { updateDraft, workshopKeys } from '../../api/workshop';

// The draft being edited: local fields, autosave two seconds after the last change, optimistic
// concurrency through `revision` (a stale save comes back as a conflict for the user to settle).

export const AUTOSAVE_DELAY_MS = 2000;

export interface DraftFields {
  draft_name: string;
  draft_description: string;
  draft_content: string;
  status: DraftStatus;
}

export type SaveState =
  | { kind: 'saved' }
  | { kind: 'dirty' }
  | { kind: 'saving' }
  | { kind: 'invalid'; detail: string }
  | { kind: 'error'; detail: string }
  | { kind: 'conflict'; current: DraftResponse };

const fieldsOf = (d: DraftResponse): DraftFields => ({
  draft_name: d.draft_name,
  draft_description: d.draft_description,
  draft_content: d.draft_content,
  status: d.status,
});

/** The server trims names and descriptions; compare the way it stores them. */
function changes(local: DraftFields, saved: DraftResponse) {
  const body: {
    draft_name?: string;
    draft_description?: string;
    draft_content?: string;
    status?: DraftStatus;
  } = {};
  if (local.draft_name.trim() !== saved.draft_name) body.draft_name = local.draft_name;
  if (local.draft_description.trim() !== saved.draft_description)
    body.draft_description = local.draft_description;
  if (local.draft_content !== saved.draft_content) body.draft_content = local.draft_content;
  if (local.status !== saved.status && local.status !== 'committed') body.status = local.status;
  return body;
}

export function useDraftEditor(initial: DraftResponse) {
  const queryClient = useQueryClient();
  const draftId = initial.id;
  const [fields, setFields] = useState<DraftFields>(() => fieldsOf(initial));
  const [saved, setSaved] = useState<DraftResponse>(initial);
  const [saveState, setSaveStateRaw] = useState<SaveState>({ kind: 'saved' });
  const fieldsRef = useRef(fields);
  const savedRef = useRef(saved);
  const stateRef = useRef(saveState);
  const timer = useRef<ReturnType<typeof setTimeout> | null>(null);
  const inflight = useRef<Promise<boolean> | null>(null);

  const setSaveState = useCallback((s: SaveState) => {
    stateRef.current = s;
    setSaveStateRaw(s);
  }, []);

  const adoptSaved = useCallback(
    (draft: DraftResponse) => {
      savedRef.current = draft;
      setSaved(draft);
      queryClient.setQueryData(workshopKeys.draft(draftId), draft);
    },
    [queryClient, draftId],
  );

  const setLocal = useCallback((next: DraftFields) => {
    fieldsRef.current = next;
    setFields(next);
  }, []);

  const isDirty = useCallback(() => Object.keys(changes(fieldsRef.current, savedRef.current)).length > 0, []);

  const cancelTimer = useCallback(() => {
    if (timer.current) clearTimeout(timer.current);
    timer.current = null;
  }, []);

  const save = useCallback(async (): Promise<boolean> => {
    cancelTimer();
    // One save at a time: a later save waits and then sends whatever is still unsaved.
    while (inflight.current) await inflight.current;
    if (stateRef.current.kind === 'conflict') return false;
    const patch = changes(fieldsRef.current, savedRef.current);
    if (Object.keys(patch).length === 0) {
      setSaveState({ kind: 'saved' });
      return true;
    }
    const body = { ...patch, revision: savedRef.current.revision };
    const valid = updateDraftRequest.safeParse(body);
    if (!valid.success) {
      setSaveState({ kind: 'invalid', detail: valid.error.issues[0]?.message ?? 'invalid draft' });
      return false;
    }
    setSaveState({ kind: 'saving' });
    const run = (async () => {
      try {
        const result = await updateDraft(draftId, valid.data);
        if (!result.ok) {
          setSaveState({ kind: 'conflict', current: result.conflict });
          return false;
        }
        adoptSaved(result.draft);
        const dirty = isDirty();
        setSaveState({ kind: dirty ? 'dirty' : 'saved' });
        if (dirty && !timer.current) timer.current = setTimeout(() => void save(), AUTOSAVE_DELAY_MS);
        return true;
      } catch (err) {
        setSaveState({ kind: 'error', detail: errorMessage(err) });
        return false;
      }
    })();
    inflight.current = run;
    try {
      return await run;
    } finally {
      inflight.current = null;
    }
  }, [draftId, adoptSaved, cancelTimer, isDirty, setSaveState]);

  /** Local edit: marks the draft unsaved and (re)starts the autosave countdown. */
  const update = useCallback(
    (patch: Partial<DraftFields>) => {
      setLocal({ ...fieldsRef.current, ...patch });
      if (stateRef.current.kind === 'conflict') return; // settle the conflict first
      if (!isDirty()) {
        cancelTimer();
        if (stateRef.current.kind !== 'saving') setSaveState({ kind: 'saved' });
        return;
      }
      if (stateRef.current.kind !== 'saving') setSaveState({ kind: 'dirty' });
      cancelTimer();
      timer.current = setTimeout(() => {
        timer.current = null;
        void save();
      }, AUTOSAVE_DELAY_MS);
    },
    [cancelTimer, isDirty, save, setLocal, setSaveState],
  );

  /** Conflict: take the other tab's version. */
  const reloadTheirs = useCallback(() => {
    const s = stateRef.current;
    if (s.kind !== 'conflict') return;
    adoptSaved(s.current);
    setLocal(fieldsOf(s.current));
    setSaveState({ kind: 'saved' });
  }, [adoptSaved, setLocal, setSaveState]);

  /** Conflict: save this tab's version over the other one. */
  const overwriteTheirs = useCallback(async () => {
    const s = stateRef.current;
    if (s.kind !== 'conflict') return false;
    adoptSaved(s.current);
    setSaveState({ kind: 'dirty' });
    return save();
  }, [adoptSaved, save, setSaveState]);

  /**
   * The server changed the draft (a test moved it to `testing`, a commit marked it committed):
   * take its version of what this tab has not changed.
   */
  const serverChanged = useCallback(
    (draft: DraftResponse) => {
      const local = fieldsRef.current;
      const pending = changes(local, savedRef.current);
      adoptSaved(draft);
      const next = fieldsOf(draft);
      setLocal({
        draft_name: 'draft_name' in pending ? local.draft_name : next.draft_name,
        draft_description: 'draft_description' in pending ? local.draft_description : next.draft_description,
        draft_content: 'draft_content' in pending ? local.draft_content : next.draft_content,
        status: 'status' in pending ? local.status : next.status,
      });
    },
    [adoptSaved, setLocal],
  );

  useEffect(() => cancelTimer, [cancelTimer]);

  const unsaved = saveState.kind !== 'saved';
  // Warn before the tab closes or reloads while something is not saved.
  useEffect(() => {
    if (!unsaved) return;
    const warn = (e: BeforeUnloadEvent) => {
      e.preventDefault();
      e.returnValue = '';
    };
    window.addEventListener('beforeunload', warn);
    return () => window.removeEventListener('beforeunload', warn);
  }, [unsaved]);

  return useMemo(
    () => ({ fields, saved, saveState, unsaved, update, save, reloadTheirs, overwriteTheirs, serverChanged }),
    [fields, saved, saveState, unsaved, update, save, reloadTheirs, overwriteTheirs, serverChanged],
  );
}

export type DraftEditor = ReturnType<typeof useDraftEditor>;
