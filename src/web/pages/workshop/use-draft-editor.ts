import { useQueryClient } from '@tanstack/react-query';
import { useCallback, useEffect, useMemo, useRef, useState } from 'react';
import { type DraftResponse, type DraftStatus, updateDraftRequest } from '../../../shared/workshop';
import { errorMessage } from '../../api/http';
import { getDraft, updateDraft, workshopKeys } from '../../api/workshop';
import { labelledMessage } from '../../lib/field-labels';
import { clearLocalDraft, type LocalDraft, readLocalDraft, writeLocalDraft } from './local-draft';

// The draft being edited: local fields, autosave two seconds after the last change, optimistic
// concurrency through `revision` (a stale save comes back as a conflict for the user to settle).
// Unsaved fields are also kept in localStorage until the server has them, flushed with a
// keepalive request when the page goes away, and other tabs on the same draft hear of each save.

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
  | { kind: 'invalid'; detail: string; field: string }
  | { kind: 'error'; detail: string }
  | { kind: 'conflict'; current: DraftResponse };

/** Unsaved edits found in this browser when the draft opened, waiting for Restore or Discard. */
export interface Recovered {
  copy: LocalDraft;
  /** The server revision now; differs from copy.revision when the draft was saved since. */
  serverRevision: number;
}

/** What tabs tell each other after a save: this draft is now at this revision. */
interface DraftSaved {
  draftId: number;
  revision: number;
}
const CHANNEL = 'prompt-workshop-drafts';
/** Browsers cap a keepalive request's body at 64 KiB. */
const KEEPALIVE_MAX_BYTES = 60_000;

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

/** A local copy that differs from what the server has now; an identical one is stale. */
function findRecovered(initial: DraftResponse): Recovered | null {
  const copy = readLocalDraft(initial.id);
  if (!copy) return null;
  if (Object.keys(changes({ ...fieldsOf(initial), ...copy.fields }, initial)).length === 0) {
    clearLocalDraft(initial.id); // the keepalive save got there
    return null;
  }
  return { copy, serverRevision: initial.revision };
}

export function useDraftEditor(initial: DraftResponse) {
  const queryClient = useQueryClient();
  const draftId = initial.id;
  const [fields, setFields] = useState<DraftFields>(() => fieldsOf(initial));
  const [recovered, setRecovered] = useState<Recovered | null>(() => findRecovered(initial));
  const channel = useRef<BroadcastChannel | null>(null);
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

  /** Keeps the local copy in step: written while something is unsaved, gone once the server has it. */
  const syncLocalCopy = useCallback(() => {
    const pending = changes(fieldsRef.current, savedRef.current);
    if (Object.keys(pending).length > 0) writeLocalDraft(draftId, savedRef.current.revision, pending);
    else clearLocalDraft(draftId);
  }, [draftId]);

  const announce = useCallback(
    (revision: number) => {
      const message: DraftSaved = { draftId, revision };
      channel.current?.postMessage(message);
    },
    [draftId],
  );

  const cancelTimer = useCallback(() => {
    if (timer.current) clearTimeout(timer.current);
    timer.current = null;
  }, []);

  const save = useCallback(
    async (opts: { keepalive?: boolean } = {}): Promise<boolean> => {
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
        const issue = valid.error.issues[0];
        setSaveState({
          kind: 'invalid',
          field: String(issue?.path[0] ?? ''),
          detail: issue ? labelledMessage(issue.path.join('.'), issue.message) : 'invalid draft',
        });
        return false;
      }
      setSaveState({ kind: 'saving' });
      const keepalive =
        opts.keepalive === true && new Blob([JSON.stringify(valid.data)]).size <= KEEPALIVE_MAX_BYTES;
      const run = (async () => {
        try {
          const result = await updateDraft(draftId, valid.data, { keepalive });
          if (!result.ok) {
            setSaveState({ kind: 'conflict', current: result.conflict });
            return false;
          }
          adoptSaved(result.draft);
          announce(result.draft.revision);
          syncLocalCopy();
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
    },
    [draftId, adoptSaved, announce, cancelTimer, isDirty, setSaveState, syncLocalCopy],
  );

  /** Local edit: marks the draft unsaved and (re)starts the autosave countdown. */
  const update = useCallback(
    (patch: Partial<DraftFields>) => {
      setLocal({ ...fieldsRef.current, ...patch });
      syncLocalCopy();
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
    [cancelTimer, isDirty, save, setLocal, setSaveState, syncLocalCopy],
  );

  /** Conflict: take the other tab's version. */
  const reloadTheirs = useCallback(() => {
    const s = stateRef.current;
    if (s.kind !== 'conflict') return;
    adoptSaved(s.current);
    setLocal(fieldsOf(s.current));
    clearLocalDraft(draftId);
    setSaveState({ kind: 'saved' });
  }, [adoptSaved, draftId, setLocal, setSaveState]);

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
      const newer = draft.revision > savedRef.current.revision;
      adoptSaved(draft);
      const next = fieldsOf(draft);
      setLocal({
        draft_name: 'draft_name' in pending ? local.draft_name : next.draft_name,
        draft_description: 'draft_description' in pending ? local.draft_description : next.draft_description,
        draft_content: 'draft_content' in pending ? local.draft_content : next.draft_content,
        status: 'status' in pending ? local.status : next.status,
      });
      syncLocalCopy();
      if (newer) announce(draft.revision);
    },
    [adoptSaved, announce, setLocal, syncLocalCopy],
  );

  /** Unsaved edits found on opening: put them back over the server's newest text and save them. */
  const restoreRecovered = useCallback(async () => {
    if (!recovered) return false;
    setRecovered(null);
    // The banner may have waited a while (or the keepalive save landed late): start from the newest.
    try {
      const fresh = await getDraft(draftId);
      if (fresh.revision > savedRef.current.revision && !isDirty()) {
        adoptSaved(fresh);
        setLocal(fieldsOf(fresh));
      }
    } catch {
      // The save below reports what is wrong.
    }
    const { status, ...copy } = recovered.copy.fields;
    // Commit sets `committed`; an older local status must not undo it.
    const keepStatus = status === undefined || savedRef.current.status === 'committed';
    setLocal({ ...fieldsRef.current, ...copy, ...(keepStatus ? {} : { status }) });
    syncLocalCopy();
    setSaveState({ kind: 'dirty' });
    return save();
  }, [recovered, draftId, adoptSaved, isDirty, save, setLocal, setSaveState, syncLocalCopy]);

  const discardRecovered = useCallback(() => {
    setRecovered(null);
    if (!isDirty()) clearLocalDraft(draftId);
  }, [draftId, isDirty]);

  /**
   * Another tab (or window) saved a newer revision: take it quietly when nothing here is unsaved,
   * otherwise offer the choice with what differs.
   */
  const checking = useRef(false);
  const checkServer = useCallback(
    async (knownRevision?: number) => {
      if (knownRevision !== undefined && knownRevision <= savedRef.current.revision) return;
      if (checking.current) return;
      checking.current = true;
      try {
        const fresh = await getDraft(draftId);
        // A save of this tab under way settles first; it may be what moved the revision.
        while (inflight.current) await inflight.current;
        if (fresh.revision <= savedRef.current.revision) return;
        const s = stateRef.current;
        if (s.kind === 'conflict' || isDirty()) {
          cancelTimer();
          setSaveState({ kind: 'conflict', current: fresh });
          return;
        }
        adoptSaved(fresh);
        setLocal(fieldsOf(fresh));
        setSaveState({ kind: 'saved' });
      } catch {
        // Offline or the draft is gone: the next save reports it.
      } finally {
        checking.current = false;
      }
    },
    [draftId, adoptSaved, cancelTimer, isDirty, setLocal, setSaveState],
  );

  useEffect(() => {
    if (typeof BroadcastChannel === 'undefined') return;
    const ch = new BroadcastChannel(CHANNEL);
    channel.current = ch;
    ch.onmessage = (e: MessageEvent<DraftSaved>) => {
      if (e.data?.draftId === draftId && typeof e.data.revision === 'number')
        void checkServer(e.data.revision);
    };
    return () => {
      channel.current = null;
      ch.close();
    };
  }, [draftId, checkServer]);

  // Leaving (reload, tab closed, app switched): save now with a request that outlives the page;
  // the local copy covers the case where it does not arrive. Coming back: check for a newer revision.
  useEffect(() => {
    const flush = () => {
      syncLocalCopy();
      if (!isDirty() || stateRef.current.kind === 'conflict' || inflight.current) return;
      void save({ keepalive: true });
    };
    const onVisibility = () => {
      if (document.visibilityState === 'hidden') flush();
      else void checkServer();
    };
    const onFocus = () => void checkServer();
    window.addEventListener('pagehide', flush);
    document.addEventListener('visibilitychange', onVisibility);
    window.addEventListener('focus', onFocus);
    return () => {
      window.removeEventListener('pagehide', flush);
      document.removeEventListener('visibilitychange', onVisibility);
      window.removeEventListener('focus', onFocus);
    };
  }, [checkServer, isDirty, save, syncLocalCopy]);

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
    () => ({
      fields,
      saved,
      saveState,
      unsaved,
      update,
      save,
      reloadTheirs,
      overwriteTheirs,
      serverChanged,
      recovered,
      restoreRecovered,
      discardRecovered,
    }),
    [
      fields,
      saved,
      saveState,
      unsaved,
      update,
      save,
      reloadTheirs,
      overwriteTheirs,
      serverChanged,
      recovered,
      restoreRecovered,
      discardRecovered,
    ],
  );
}

export type DraftEditor = ReturnType<typeof useDraftEditor>;
