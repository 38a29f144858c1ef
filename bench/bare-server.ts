import Fastify from 'fastify';

// The baseline: a bare Fastify route answering the same JSON as /api/auth/me, touching no database.
const body = {
  user: {
    id: 1,
    username: 'admin',
    display_name: 'admin',
    role: 'admin',
    disabled: false,
    created_at: '2026-01-01T00:00:00.000Z',
  },
  auth: 'session',
};
const app = Fastify({ logger: false });
app.get('/api/health', async () => ({ status: 'ok' }));
app.get('/bare/me', async () => body);
await app.listen({ port: Number(process.argv[2]), host: '127.0.0.1' });
