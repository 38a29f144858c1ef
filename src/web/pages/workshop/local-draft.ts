import type { DraftFields } from './use-draft-editor';

// Unsaved edits kept in this browser, so a reload or a closed tab inside the autosave window
// does not lose them. One entry per draft and the revision the edits were based on; the entry
// goes once the server has the text.

const PREFIX = 'pw:unsaved-draft:';
const keyOf = (draftId: number, revision: number) => `${PREFIX}${draftId}:${revision}`;

export interface LocalDraft {
  draftId: number;
  /** The server revision these edits started from. */
  revision: number;
  /** Only the fields changed since that revision, so restoring keeps newer changes to the others. */
  fields: Partial<DraftFields>;
  /** When the copy was written (ISO time). */
  savedAt: string;
}

// Storage can be missing or refuse writes (private mode, quota); the editor works without it.
function storage(): Storage | null {
  try {
    return window.localStorage;
  } catch {
    return null;
  }
}

function keysOf(store: Storage, draftId: number): string[] {
  const keys: string[] = [];
  for (let i = 0; i < store.length; i++) {
    const k = store.key(i);
    if (k?.startsWith(`${PREFIX}${draftId}:`)) keys.push(k);
  }
  return keys;
}

const FIELD_NAMES = ['draft_name', 'draft_description', 'draft_content', 'status'] as const;

function isFields(v: unknown): v is Partial<DraftFields> {
  if (!v || typeof v !== 'object') return false;
  const f = v as Record<string, unknown>;
  return FIELD_NAMES.every((k) => f[k] === undefined || typeof f[k] === 'string');
}

/** Keeps this draft's unsaved fields (replacing a copy based on another revision). */
export function writeLocalDraft(draftId: number, revision: number, fields: Partial<DraftFields>): void {
  const store = storage();
  if (!store) return;
  const key = keyOf(draftId, revision);
  try {
    for (const k of keysOf(store, draftId)) if (k !== key) store.removeItem(k);
    const entry: LocalDraft = { draftId, revision, fields, savedAt: new Date().toISOString() };
    store.setItem(key, JSON.stringify(entry));
  } catch {
    // Quota or a disabled storage: the keepalive save on leaving is the remaining safety net.
  }
}

/** The newest local copy of this draft's unsaved edits, if any. */
export function readLocalDraft(draftId: number): LocalDraft | null {
  const store = storage();
  if (!store) return null;
  let best: LocalDraft | null = null;
  for (const k of keysOf(store, draftId)) {
    try {
      const v = JSON.parse(store.getItem(k) ?? 'null') as Partial<LocalDraft> | null;
      if (v && typeof v.revision === 'number' && typeof v.savedAt === 'string' && isFields(v.fields)) {
        const entry: LocalDraft = { draftId, revision: v.revision, fields: v.fields, savedAt: v.savedAt };
        if (!best || entry.savedAt > best.savedAt) best = entry;
      }
    } catch {
      store.removeItem(k); // unreadable: nothing to offer
    }
  }
  return best;
}

export function clearLocalDraft(draftId: number): void {
  const store = storage();
  if (!store) return;
  for (const k of keysOf(store, draftId)) store.removeItem(k);
}

/** A small JSON value per draft (the Test tab's form), best effort. */
export function readDraftSetting<T>(name: string, draftId: number): Partial<T> | null {
  try {
    const raw = storage()?.getItem(`pw:${name}:${draftId}`);
    const v = raw ? JSON.parse(raw) : null;
    return v && typeof v === 'object' ? (v as Partial<T>) : null;
  } catch {
    return null;
  }
}

export function writeDraftSetting(name: string, draftId: number, value: unknown): void {
  try {
    storage()?.setItem(`pw:${name}:${draftId}`, JSON.stringify(value));
  } catch {
    // best effort
  }
}
