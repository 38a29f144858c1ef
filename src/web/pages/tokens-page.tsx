import { useQueryClient } from '@tanstack/react-query';
import { type FormEvent, useState } from 'react';
import type { CreateTokenResponse } from '../../shared/auth';
import { createToken, revokeToken, tokensKey, useTokens } from '../api/auth';
import { errorMessage } from '../api/http';
import { useConfirm } from '../components/modal';
import { Spinner } from '../components/spinner';
import { formatDate } from '../lib/format';
import { usePageTitle } from '../lib/use-page-title';
import '../styles/pages.css';

const EXPIRY_CHOICES = [
  { days: 30, label: '30 days' },
  { days: 90, label: '90 days' },
  { days: 365, label: 'One year' },
  { days: 0, label: 'Never (until revoked)' },
] as const;

/** /tokens: the signed-in user's API tokens for curl, scripts and the CLI: create, see, revoke. */
export function TokensPage() {
  usePageTitle('API tokens');
  const tokens = useTokens();
  const queryClient = useQueryClient();
  const [confirmDialog, confirm] = useConfirm();
  const [name, setName] = useState('');
  const [days, setDays] = useState(90);
  const [created, setCreated] = useState<CreateTokenResponse | null>(null);
  const [message, setMessage] = useState<{ ok: boolean; text: string } | null>(null);
  const [busy, setBusy] = useState(false);

  async function create(e: FormEvent) {
    e.preventDefault();
    setBusy(true);
    setMessage(null);
    try {
      const token = await createToken({ name: name.trim(), ...(days ? { expires_in_days: days } : {}) });
      setCreated(token);
      setName('');
      await queryClient.invalidateQueries({ queryKey: tokensKey });
    } catch (err) {
      setMessage({ ok: false, text: errorMessage(err) });
    } finally {
      setBusy(false);
    }
  }

  async function revoke(id: number, tokenName: string) {
    const ok = await confirm({
      title: 'Revoke this token?',
      body: <p>Scripts using “{tokenName}” will be refused from now on. This cannot be undone.</p>,
      confirmLabel: 'Revoke token',
      danger: true,
    });
    if (!ok) return;
    try {
      await revokeToken(id);
      if (created?.id === id) setCreated(null);
      setMessage({ ok: true, text: `Revoked “${tokenName}”.` });
      await queryClient.invalidateQueries({ queryKey: tokensKey });
    } catch (err) {
      setMessage({ ok: false, text: errorMessage(err) });
    }
  }

  return (
    <main className="page">
      <div className="page-head">
        <h1>API tokens</h1>
      </div>
      <p className="muted">
        A token signs in scripts, curl and the command line as you: send it as{' '}
        <code>Authorization: Bearer …</code>. Resetting your password or disabling your account revokes every
        token.
      </p>
      <form className="toolbar" id="token-form" onSubmit={create}>
        <div className="field inline-field">
          <label htmlFor="token-name">Name</label>
          <input
            id="token-name"
            value={name}
            maxLength={100}
            required
            placeholder="e.g. nightly evaluation"
            onChange={(e) => setName(e.target.value)}
          />
        </div>
        <div className="field inline-field">
          <label htmlFor="token-expiry">Expires after</label>
          <select id="token-expiry" value={days} onChange={(e) => setDays(Number(e.target.value))}>
            {EXPIRY_CHOICES.map((c) => (
              <option key={c.days} value={c.days}>
                {c.label}
              </option>
            ))}
          </select>
        </div>
        <button type="submit" className="btn btn-primary" id="create-token" disabled={busy || !name.trim()}>
          Create token
        </button>
      </form>
      {created && (
        <div className="alert success" role="status" id="new-token">
          <p>
            Token “{created.name}” created. Copy it now: it is shown only once.
            {created.expires_at ? ` It expires ${formatDate(created.expires_at)}.` : ' It does not expire.'}
          </p>
          <code className="token-secret">{created.token}</code>
        </div>
      )}
      {message && (
        <p role={message.ok ? 'status' : 'alert'} className={message.ok ? 'alert success' : 'alert error'}>
          {message.text}
        </p>
      )}
      {tokens.isPending && <Spinner label="Loading tokens" block />}
      {tokens.isError && (
        <p role="alert" className="alert error">
          {errorMessage(tokens.error)}
        </p>
      )}
      {tokens.data && tokens.data.length === 0 && <p className="empty">No tokens yet.</p>}
      <ul className="item-list" id="tokens-list">
        {tokens.data?.map((t) => (
          <li key={t.id} className="item-card token-item" data-token-id={t.id}>
            <div className="item-main">
              <span className="item-title">{t.name}</span>
              <span className={`badge token-${t.status}`}>{t.status}</span>
            </div>
            <div className="item-meta">
              <span>Created {formatDate(t.created_at)}</span>
              <span>{t.expires_at ? `Expires ${formatDate(t.expires_at)}` : 'Never expires'}</span>
              <span>{t.last_used_at ? `Last used ${formatDate(t.last_used_at)}` : 'Never used'}</span>
            </div>
            <div className="button-row item-actions">
              <button
                type="button"
                className="btn btn-small btn-danger"
                onClick={() => void revoke(t.id, t.name)}
                aria-label={`Revoke token ${t.name}`}
              >
                Revoke
              </button>
            </div>
          </li>
        ))}
      </ul>
      {confirmDialog}
    </main>
  );
}
