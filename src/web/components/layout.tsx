import { useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { Link, NavLink, Outlet, useNavigate } from 'react-router';
import { logout, useMe } from '../api/auth';
import { errorMessage, setSigningOut } from '../api/http';

export const navItems = [
  { to: '/prompt-workshop', label: 'Workshop', icon: '⚗' },
  { to: '/drafts', label: 'My drafts', icon: '✎' },
  { to: '/prompts', label: 'Prompt library', icon: '☰' },
  { to: '/evals', label: 'Evaluations', icon: '▦' },
  { to: '/auspex-chat', label: 'Auspex chat', icon: '✦' },
] as const;

/** Header with navigation and sign-out around every signed-in page. */
export function Layout() {
  const me = useMe();
  const queryClient = useQueryClient();
  const navigate = useNavigate();
  const [error, setError] = useState<string | null>(null);

  async function signOut() {
    setError(null);
    try {
      // A request still in flight would come back 401 after the logout and send us to /login?next=.
      setSigningOut(true);
      await queryClient.cancelQueries();
      await logout();
      // The sign-in page forgets the user once it is drawn (see LoginPage): forgetting here would
      // redraw this page signed out before /login has loaded, and its guard would add ?next=.
      await navigate('/login', { replace: true, state: { signedOut: true } });
    } catch (err) {
      setSigningOut(false);
      setError(errorMessage(err));
    }
  }

  return (
    <>
      <a className="skip-link" href="#main">
        Skip to content
      </a>
      <header className="app-header">
        <Link to="/" className="brand">
          <span aria-hidden="true">◆</span> Prompt Workshop
        </Link>
        <nav aria-label="Main" className="main-nav">
          <ul>
            {navItems.map((item) => (
              <li key={item.to}>
                {/* A plain /prompt-workshop visit starts a new workshop, so do not mark it "current" by prefix. */}
                <NavLink to={item.to} end>
                  {item.label}
                </NavLink>
              </li>
            ))}
          </ul>
        </nav>
        <div className="user-box">
          <span className="user-name" title={me.data?.user.role === 'admin' ? 'Administrator' : undefined}>
            {me.data?.user.display_name}
          </span>
          <NavLink to="/tokens" className="btn btn-small" id="api-tokens">
            API tokens
          </NavLink>
          <button type="button" className="btn btn-small" id="sign-out" onClick={signOut}>
            Sign out
          </button>
        </div>
      </header>
      {error && (
        <p role="alert" className="alert error page-alert">
          {error}
        </p>
      )}
      <div id="main" tabIndex={-1}>
        <Outlet />
      </div>
    </>
  );
}
