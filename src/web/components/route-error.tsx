import { isRouteErrorResponse, Link, useRouteError } from 'react-router';

/** Shown when a page fails to load (for instance, a chunk missing after an upgrade). */
export function RouteError() {
  const error = useRouteError();
  const text = isRouteErrorResponse(error)
    ? `${error.status} ${error.statusText}`
    : error instanceof Error
      ? error.message
      : 'Something went wrong';
  return (
    <main className="page narrow">
      <h1>Something went wrong</h1>
      <p role="alert" className="alert error">
        {text}
      </p>
      <p>
        <Link to="/">Back to the start page</Link> or reload the page.
      </p>
    </main>
  );
}
