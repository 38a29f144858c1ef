import { useQueryClient } from '@tanstack/react-query';
import { type KeyboardEvent, useCallback, useEffect, useRef, useState } from 'react';
import { Link, useBlocker, useNavigate } from 'react-router';
import {
  type CommitResponse,
  DRAFT_CONTENT_MIN_TO_TEST,
  type DraftResponse,
  draftResponse,
  type TestResult,
} from '../../../shared/workshop';
import { useMe } from '../../api/auth';
import { api } from '../../api/http';
import { promptKeys, usePrompts } from '../../api/library';
import { useDraftTests, workshopKeys } from '../../api/workshop';
import { useConfirm } from '../../components/modal';
import { TabPanel } from '../../components/tab-panel';
import { CommitDialog } from './commit-dialog';
import { ConflictBanner } from './conflict-banner';
import { ConversationPanel } from './conversation-panel';
import { DraftTab } from './draft-tab';
import { HistoryTab } from './history-tab';
import { RecoveredBanner } from './recovered-banner';
import { SaveStatus } from './save-status';
import { TestTab } from './test-tab';
import { useDraftEditor } from './use-draft-editor';

type Tab = 'draft' | 'test' | 'history';
const tabs: { id: Tab; label: string }[] = [
  { id: 'draft', label: 'Draft' },
  { id: 'test', label: 'Test' },
  { id: 'history', label: 'History' },
];

/** The two panels: conversation on the left, the draft with its tests on the right. */
export function Workshop({ initial }: { initial: DraftResponse }) {
  const draftId = initial.id;
  const editor = useDraftEditor(initial);
  const { fields, saveState } = editor;
  const queryClient = useQueryClient();
  const navigate = useNavigate();
  const tests = useDraftTests(draftId);
  // The newest page holds the last run and the count of all of them.
  const newest = tests.data?.pages[0];
  const [tab, setTab] = useState<Tab>('draft');
  const [selectedTest, setSelectedTest] = useState<TestResult | null>(null);
  const [commitOpen, setCommitOpen] = useState(false);
  const [closing, setClosing] = useState(false);
  const [notice, setNotice] = useState<string | null>(null);
  const [confirmDialog, confirm] = useConfirm();
  // A clone of the user's own prompt commits as its next version by default, not as a new prompt.
  const me = useMe();
  const prompts = usePrompts();
  const parent = prompts.data?.find((p) => p.name === initial.parent_prompt_name);
  const versionOf = parent && parent.owner === me.data?.user.username ? parent : null;
  const openedWith = useRef(initial.draft_content);
  const tabRefs = useRef<Record<Tab, HTMLButtonElement | null>>({ draft: null, test: null, history: null });

  useEffect(() => {
    document.title = `${fields.draft_name || 'Workshop'} · Prompt Workshop`;
  }, [fields.draft_name]);

  const refreshDraft = useCallback(async () => {
    const fresh = await api('GET', `/api/auspex/prompts/workshop/drafts/${draftId}`, draftResponse);
    editor.serverChanged(fresh);
  }, [draftId, editor.serverChanged]);

  const save = editor.save;

  // Ctrl+S / ⌘S saves now, instead of the browser's "save page" dialog.
  useEffect(() => {
    const onKey = (e: globalThis.KeyboardEvent) => {
      if (!(e.ctrlKey || e.metaKey) || e.altKey || e.shiftKey || e.key.toLowerCase() !== 's') return;
      e.preventDefault();
      void save();
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, [save]);

  // After a reload the Test tab shows the draft's last run again.
  const restoredRun = useRef(false);
  useEffect(() => {
    if (restoredRun.current || !newest) return;
    restoredRun.current = true;
    const last = newest.test_results[0];
    if (last) setSelectedTest((current) => current ?? last);
  }, [newest]);
  const testCount = newest?.total_tests ?? initial.test_count;
  const longEnough = fields.draft_content.trim().length >= DRAFT_CONTENT_MIN_TO_TEST;

  // Leaving for another page of the app: save first; ask only if that fails.
  const blocker = useBlocker(({ currentLocation, nextLocation }) => {
    return (
      editor.unsaved &&
      !closing &&
      currentLocation.pathname + currentLocation.search !== nextLocation.pathname + nextLocation.search
    );
  });
  useEffect(() => {
    if (blocker.state !== 'blocked') return;
    let live = true;
    void (async () => {
      const ok = await save();
      if (!live) return;
      if (ok) return blocker.proceed();
      const leave = await confirm({
        title: 'Leave without saving?',
        body: <p>Your latest changes could not be saved. If you leave now, they are lost.</p>,
        confirmLabel: 'Leave anyway',
        danger: true,
      });
      if (leave) blocker.proceed();
      else blocker.reset();
    })();
    return () => {
      live = false;
    };
  }, [blocker, save, confirm]);

  async function extract(text: string) {
    editor.update({ draft_content: text });
    setTab('draft');
    await save();
    setNotice('The proposed draft is now in the editor.');
  }

  async function reset() {
    const ok = await confirm({
      title: 'Reset the prompt?',
      body: (
        <p>
          The prompt text goes back to what it was when you opened this workshop
          {openedWith.current.trim() ? '' : ' (empty)'}. Your other changes since then are lost.
        </p>
      ),
      confirmLabel: 'Reset',
      danger: true,
    });
    if (!ok) return;
    editor.update({ draft_content: openedWith.current });
    await save();
  }

  async function close() {
    setClosing(true);
    const ok = await save();
    if (ok) {
      await queryClient.invalidateQueries({ queryKey: workshopKeys.allDrafts });
      navigate('/drafts');
    } else {
      setClosing(false);
      setNotice(null);
    }
  }

  async function committed(result: CommitResponse) {
    await queryClient.invalidateQueries({ queryKey: promptKeys.all });
    await refreshDraft();
    setNotice(`Committed as “${result.name}”.`);
  }

  function onTabKey(e: KeyboardEvent, current: Tab) {
    const i = tabs.findIndex((t) => t.id === current);
    let next: number | null = null;
    if (e.key === 'ArrowRight') next = (i + 1) % tabs.length;
    if (e.key === 'ArrowLeft') next = (i + tabs.length - 1) % tabs.length;
    if (e.key === 'Home') next = 0;
    if (e.key === 'End') next = tabs.length - 1;
    if (next === null) return;
    e.preventDefault();
    setTab(tabs[next].id);
    tabRefs.current[tabs[next].id]?.focus();
  }

  return (
    <main className="workshop-page">
      <div className="workshop-toolbar">
        <div className="workshop-title">
          <h1>{fields.draft_name.trim() || 'Untitled draft'}</h1>
          <span className={`badge status-${fields.status}`}>{fields.status}</span>
          {initial.parent_prompt_name && (
            <span className="muted small" id="cloned-from">
              cloned from{' '}
              <Link to={`/prompts?name=${encodeURIComponent(initial.parent_prompt_name)}`}>
                {initial.parent_prompt_name}
              </Link>
              {initial.parent_prompt_version !== null && ` v${initial.parent_prompt_version}`}
            </span>
          )}
        </div>
        <SaveStatus state={saveState} />
        <div className="button-row">
          {/* A run uses the draft's saved text (draft:ID resolves its current revision). */}
          <Link
            to={`/evals?prompt=${encodeURIComponent(`draft:${draftId}`)}`}
            className="btn"
            id="evaluate-draft"
          >
            Evaluate this draft
          </Link>
          <button
            type="button"
            className="btn btn-primary"
            id="commit-prompt"
            onClick={() => setCommitOpen(true)}
            // Invalid text is never saved, so committing would publish something else than shown.
            disabled={!longEnough || saveState.kind === 'invalid'}
            title={
              saveState.kind === 'invalid'
                ? `Fix this first: ${saveState.detail}`
                : longEnough
                  ? 'Publish this draft to the prompt library'
                  : `Needs at least ${DRAFT_CONTENT_MIN_TO_TEST} characters`
            }
          >
            Commit
          </button>
          <button type="button" className="btn" id="close-workshop" onClick={close} disabled={closing}>
            Close
          </button>
        </div>
      </div>

      {saveState.kind === 'conflict' && (
        <ConflictBanner
          theirs={saveState.current}
          mine={fields}
          onLoadTheirs={editor.reloadTheirs}
          onKeepMine={() => void editor.overwriteTheirs()}
        />
      )}
      {editor.recovered && (
        <RecoveredBanner
          recovered={editor.recovered}
          server={editor.saved}
          onRestore={() => void editor.restoreRecovered()}
          onDiscard={editor.discardRecovered}
        />
      )}
      {notice && (
        <p role="status" className="alert success notice" id="workshop-notice">
          {notice}{' '}
          <button type="button" className="btn-link" onClick={() => setNotice(null)} aria-label="Dismiss">
            ×
          </button>
        </p>
      )}

      <div className="workshop-grid">
        <ConversationPanel chatId={initial.workshop_chat_id} onExtract={(text) => void extract(text)} />

        <section className="panel editor-panel" aria-label="Draft editor">
          <div className="tabs" role="tablist" aria-label="Draft views">
            {tabs.map((t) => (
              <button
                key={t.id}
                ref={(el) => {
                  tabRefs.current[t.id] = el;
                }}
                type="button"
                role="tab"
                id={`tab-button-${t.id}`}
                data-bs-target={`#tab-${t.id}`}
                aria-controls={`tab-${t.id}`}
                aria-selected={tab === t.id}
                tabIndex={tab === t.id ? 0 : -1}
                className={tab === t.id ? 'tab active' : 'tab'}
                onClick={() => setTab(t.id)}
                onKeyDown={(e) => onTabKey(e, t.id)}
              >
                {t.label}
                {t.id === 'history' && (
                  <>
                    <span className="badge primary" id="test-count">
                      {testCount}
                    </span>
                    <span className="visually-hidden"> tests</span>
                  </>
                )}
              </button>
            ))}
          </div>
          <TabPanel id="draft" active={tab === 'draft'}>
            <DraftTab editor={editor} onSave={() => void save()} onReset={() => void reset()} />
          </TabPanel>
          <TabPanel id="test" active={tab === 'test'}>
            <TestTab
              draftId={draftId}
              contentLength={fields.draft_content.trim().length}
              saveFirst={save}
              selected={selectedTest}
              onSelect={setSelectedTest}
              onFinished={() => void refreshDraft().catch(() => {})}
              lastRun={newest?.test_results[0]}
            />
          </TabPanel>
          <TabPanel id="history" active={tab === 'history'}>
            <HistoryTab
              draftId={draftId}
              onOpen={(t) => {
                setSelectedTest(t);
                setTab('test');
                // The History panel hides with the button that was used; keep the keyboard on the tabs.
                tabRefs.current.test?.focus();
              }}
            />
          </TabPanel>
        </section>
      </div>

      <CommitDialog
        open={commitOpen}
        onClose={() => setCommitOpen(false)}
        draftId={draftId}
        draftName={fields.draft_name}
        draftDescription={fields.draft_description}
        draftContent={fields.draft_content}
        versionOf={versionOf}
        saveFirst={save}
        onCommitted={(r) => void committed(r)}
      />
      {confirmDialog}
    </main>
  );
}
