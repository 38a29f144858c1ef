import { QueryClient, QueryClientProvider } from '@tanstack/react-query';
import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { RouterProvider } from 'react-router/dom';
import { fetchMe, meKey } from './api/auth';
import { ApiError, setUnauthorizedHandler } from './api/http';
import { createRouter } from './router';
import './styles/base.css';
import './styles/layout.css';

const queryClient = new QueryClient({
  defaultOptions: {
    queries: {
      // 4xx answers are final; retry only what might be a blip.
      retry: (count, err) => !(err instanceof ApiError && err.status >= 400 && err.status < 500) && count < 2,
      refetchOnWindowFocus: false,
    },
  },
});

// A session that ends while the app is open sends the user back to sign in (AuthGate redirects).
setUnauthorizedHandler(() => queryClient.setQueryData(meKey, null));
// Ask who is signed in while the router is still loading the page's code, not after.
void queryClient.prefetchQuery({ queryKey: meKey, queryFn: fetchMe, staleTime: 60_000 });

createRoot(document.getElementById('root')!).render(
  <StrictMode>
    <QueryClientProvider client={queryClient}>
      <RouterProvider router={createRouter()} />
    </QueryClientProvider>
  </StrictMode>,
);
