import { useQueryClient } from '@tanstack/react-query';
import { type FormEvent, useEffect, useRef, useState } from 'react';
import { Navigate, useLocation, useNavigate, useSearchParams } from 'react-router';
import { forgetSession, login, meKey, useMe } from '../api/auth';
import { errorMessage } from '../api/http';
import { Spinner } from '../components/spinner';
import { safeNext } from '../lib/safe-next';

export function LoginPage() {
  const [params] = useSearchParams();
  const next = safeNext(params.get('next'));
  const me = useMe();
  const queryClient = useQueryClient();
  const navigate = useNavigate();
  const signedOut = (useLocation().state as { signedOut?: boolean } | null)?.signedOut === true;
  const [username, setUsername] = useState('');
  const [password, setPassword] = useState('');
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const usernameRef = useRef<HTMLInputElement>(null);

  useEffect(() => {
    document.title = 'Sign in · Prompt Workshop';
    // Signing in is the only thing to do here: a keyboard user can start typing at once.
    usernameRef.current?.focus();
  }, []);

  useEffect(() => {
    // Reached by signing out: the signed-in pages are gone now, so their guard cannot add ?next=.
    if (signedOut) forgetSession(queryClient);
  }, [signedOut, queryClient]);

  if (me.data && !signedOut) return <Navigate to={next} replace />;

  async function submit(e: FormEvent) {
    e.preventDefault();
    setError(null);
    setBusy(true);
    try {
      const result = await login({ username, password });
      queryClient.setQueryData(meKey, result);
      navigate(next, { replace: true });
    } catch (err) {
      setError(errorMessage(err));
      setBusy(false);
    }
  }

  return (
    <main className="login-page" id="main">
      <form className="card login-card" onSubmit={submit} aria-labelledby="login-title">
        <h1 id="login-title">
          <span aria-hidden="true">◆</span> Prompt Workshop
        </h1>
        <p className="muted">
          {signedOut ? 'You are signed out.' : 'Sign in to design and test Auspex prompts.'}
        </p>
        {error && (
          <p role="alert" className="alert error" id="login-error">
            {error}
          </p>
        )}
        <div className="field">
          <label htmlFor="login-username">Username</label>
          <input
            id="login-username"
            ref={usernameRef}
            name="username"
            autoComplete="username"
            required
            value={username}
            onChange={(e) => setUsername(e.target.value)}
          />
        </div>
        <div className="field">
          <label htmlFor="login-password">Password</label>
          <input
            id="login-password"
            name="password"
            type="password"
            autoComplete="current-password"
            required
            value={password}
            onChange={(e) => setPassword(e.target.value)}
          />
        </div>
        <button type="submit" className="btn btn-primary btn-block" id="login-submit" disabled={busy}>
          {busy ? <Spinner label="Signing in" /> : null} Sign in
        </button>
      </form>
    </main>
  );
}
