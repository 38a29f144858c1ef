import { createBrowserRouter } from 'react-router';
import { AuthGate } from './components/auth-gate';
import { Layout } from './components/layout';
import { RouteError } from './components/route-error';
import { Spinner } from './components/spinner';

// While the first page's code loads; without it React Router warns on every full page load.
const loading = <Spinner label="Loading" block />;

// Pages load on demand so the sign-in page does not carry the editor.
export function createRouter() {
  return createBrowserRouter([
    {
      path: '/login',
      lazy: async () => ({ Component: (await import('./pages/login-page')).LoginPage }),
      errorElement: <RouteError />,
      hydrateFallbackElement: loading,
    },
    {
      element: <AuthGate />,
      errorElement: <RouteError />,
      hydrateFallbackElement: loading,
      children: [
        {
          element: <Layout />,
          children: [
            { index: true, lazy: async () => ({ Component: (await import('./pages/home-page')).HomePage }) },
            {
              path: 'prompt-workshop',
              lazy: async () => ({
                Component: (await import('./pages/workshop/workshop-page')).WorkshopPage,
              }),
            },
            {
              path: 'drafts',
              lazy: async () => ({ Component: (await import('./pages/drafts-page')).DraftsPage }),
            },
            {
              path: 'prompts',
              lazy: async () => ({ Component: (await import('./pages/prompts-page')).PromptsPage }),
            },
            {
              path: 'auspex-chat',
              lazy: async () => ({ Component: (await import('./pages/chat-page')).ChatPage }),
            },
            {
              path: 'articles/:id',
              lazy: async () => ({ Component: (await import('./pages/article-page')).ArticlePage }),
            },
            {
              path: 'evals',
              lazy: async () => ({ Component: (await import('./pages/evals/suites-page')).SuitesPage }),
            },
            {
              path: 'evals/suites/:id',
              lazy: async () => ({ Component: (await import('./pages/evals/suite-page')).SuitePage }),
            },
            {
              path: 'evals/runs/:id',
              lazy: async () => ({ Component: (await import('./pages/evals/run-page')).RunPage }),
            },
            {
              path: 'tokens',
              lazy: async () => ({ Component: (await import('./pages/tokens-page')).TokensPage }),
            },
            {
              path: '*',
              lazy: async () => ({ Component: (await import('./pages/not-found-page')).NotFoundPage }),
            },
          ],
        },
      ],
    },
  ]);
}
