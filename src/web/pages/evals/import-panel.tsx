import { type ChangeEvent, type FormEvent, useState } from 'react';
import { type SuiteFormat, type SuiteResponse, suiteFormat } from '../../../shared/evals';
import { exportUrl, importSuite } from '../../api/evals';
import { errorMessage } from '../../api/http';
import { FileLinks } from '../../components/file-links';
import { plural } from '../../lib/format';
import { lineErrors } from './server-errors';

const FORMAT_LABELS: Record<SuiteFormat, string> = {
  csv: 'CSV',
  jsonl: 'JSONL',
  yaml: 'YAML (promptfoo tests:)',
};

function formatOfFile(name: string): SuiteFormat | null {
  const ext = name.split('.').pop()?.toLowerCase();
  if (ext === 'csv') return 'csv';
  if (ext === 'jsonl' || ext === 'ndjson' || ext === 'json') return 'jsonl';
  if (ext === 'yaml' || ext === 'yml') return 'yaml';
  return null;
}

/** Import cases (pasted or from a file) and export links. An import is all or nothing. */
export function ImportPanel({
  suite,
  onImported,
}: {
  suite: SuiteResponse;
  onImported: (suite: SuiteResponse, imported: number) => void;
}) {
  const [format, setFormat] = useState<SuiteFormat>('csv');
  const [mode, setMode] = useState<'append' | 'replace'>('append');
  const [content, setContent] = useState('');
  const [error, setError] = useState<unknown>(null);
  const [busy, setBusy] = useState(false);
  const lines = lineErrors(error);

  async function chooseFile(e: ChangeEvent<HTMLInputElement>) {
    const file = e.target.files?.[0];
    if (!file) return;
    setContent(await file.text());
    const guessed = formatOfFile(file.name);
    if (guessed) setFormat(guessed);
  }

  async function submit(e: FormEvent) {
    e.preventDefault();
    setBusy(true);
    setError(null);
    try {
      const { imported, ...updated } = await importSuite(suite.id, { format, content, mode });
      setContent('');
      onImported(updated, imported);
    } catch (err) {
      setError(err);
    } finally {
      setBusy(false);
    }
  }

  return (
    <section aria-labelledby="import-heading" className="card import-panel">
      <h2 id="import-heading">Import and export</h2>
      <form id="import-form" onSubmit={submit}>
        <div className="field-row">
          <div className="field">
            <label htmlFor="import-format">Format</label>
            <select
              id="import-format"
              value={format}
              onChange={(e) => setFormat(e.target.value as SuiteFormat)}
            >
              {suiteFormat.options.map((f) => (
                <option key={f} value={f}>
                  {FORMAT_LABELS[f]}
                </option>
              ))}
            </select>
          </div>
          <div className="field">
            <label htmlFor="import-mode">Mode</label>
            <select
              id="import-mode"
              value={mode}
              onChange={(e) => setMode(e.target.value as 'append' | 'replace')}
            >
              <option value="append">Add to the cases</option>
              <option value="replace">Replace the cases</option>
            </select>
          </div>
          <div className="field">
            <label htmlFor="import-file">File</label>
            <input
              id="import-file"
              type="file"
              accept=".csv,.jsonl,.ndjson,.json,.yaml,.yml"
              onChange={chooseFile}
            />
          </div>
        </div>
        <div className="field">
          <label htmlFor="import-content">Content</label>
          <textarea
            id="import-content"
            rows={6}
            className="mono"
            value={content}
            aria-describedby="import-hint"
            onChange={(e) => setContent(e.target.value)}
          />
          <span className="field-hint" id="import-hint">
            Paste rows or choose a file. CSV needs a header with query and topic; nothing is imported unless
            every row is valid.
          </span>
        </div>
        {error !== null && (
          <div role="alert" className="alert error" id="import-error">
            <p>{lines.length ? 'Nothing was imported:' : errorMessage(error)}</p>
            {lines.length > 0 && (
              <ul id="import-line-errors">
                {lines.map((l) => (
                  <li key={l}>{l}</li>
                ))}
              </ul>
            )}
          </div>
        )}
        <button
          type="submit"
          className="btn btn-primary"
          id="import-submit"
          disabled={busy || !content.trim()}
        >
          Import
        </button>
      </form>
      <FileLinks
        label={`Export ${plural(suite.case_count, 'case')}`}
        files={suiteFormat.options.map((f) => ({
          id: `export-${f}`,
          href: exportUrl(suite.id, f),
          name: FORMAT_LABELS[f],
        }))}
      />
    </section>
  );
}
