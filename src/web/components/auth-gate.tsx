import { Navigate, Outlet, useLocation } from 'react-router';
import { useMe } from '../api/auth';
import { errorMessage } from '../api/http';
import { Spinner } from './spinner';

/** Pages behind sign-in: a signed-out visit goes to /login and comes back here afterwards. */
export function AuthGate() {
  const me = useMe();
  const location = useLocation();
  if (me.isPending) return <Spinner label="Loading" block />;
  if (me.isError) {
    return (
      <main className="page narrow">
        <p role="alert" className="alert error">
          {errorMessage(me.error)}
        </p>
      </main>
    );
  }
  if (!me.data) {
    const next = `${location.pathname}${location.search}`;
    return <Navigate to={`/login?next=${encodeURIComponent(next)}`} replace />;
  }
  return <Outlet />;
}
