import { connect } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ADMIN_PASSWORD } from '../helpers/app';
import { freshSqlite } from '../helpers/databases';
import { startWorkshopApp, TOPIC, type WorkshopFixture } from '../helpers/workshop';

// A client that opens a request and stops sending must not hold a connection forever, signed in
// or not. Raw sockets against the real listening server; short limits so the test is quick.

/** Writes `data` on a fresh connection, sends nothing more, and resolves with what came back once the server closes it. */
function sendAndWait(port: number, data: string): Promise<string> {
  return new Promise((resolve, reject) => {
    const socket = connect(port, '127.0.0.1', () => socket.write(data));
    let received = '';
    socket.on('data', (chunk) => {
      received += chunk.toString();
    });
    socket.on('error', reject);
    socket.on('close', () => resolve(received));
  });
}

describe('request, header and keep-alive timeouts', () => {
  let f: WorkshopFixture;
  let port: number;
  let baseUrl: string;

  beforeAll(async () => {
    f = await startWorkshopApp(freshSqlite(), {
      env: {
        HTTP_REQUEST_TIMEOUT_MS: '1000',
        HTTP_HEADERS_TIMEOUT_MS: '1000',
        HTTP_KEEP_ALIVE_TIMEOUT_MS: '1000',
      },
    });
    baseUrl = await f.t.app.listen({ port: 0, host: '127.0.0.1' });
    port = Number(new URL(baseUrl).port);
  });
  afterAll(async () => f?.close());

  it('closes a connection whose body stops short of its Content-Length, with 408', async () => {
    const answer = await sendAndWait(
      port,
      'POST /api/auth/login HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\nContent-Length: 100\r\n\r\n{"user',
    );
    expect(answer).toMatch(/^HTTP\/1\.1 408 /);
  });

  it('closes a connection whose headers never end', async () => {
    const answer = await sendAndWait(port, 'GET /api/health HTTP/1.1\r\nHost: 127.0.0.1\r\nX-Slow: 1\r\n');
    expect(answer).toMatch(/^HTTP\/1\.1 408 /);
  });

  it('closes an idle keep-alive connection after its answer', async () => {
    const answer = await sendAndWait(
      port,
      'GET /api/health HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: keep-alive\r\n\r\n',
    );
    expect(answer).toMatch(/^HTTP\/1\.1 200 /);
    expect(answer).toMatch(/keep-alive: timeout=1/i);
  });

  it('lets a streamed answer run longer than the request timeout', async () => {
    const login = await fetch(`${baseUrl}/api/auth/login`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ username: 'admin', password: ADMIN_PASSWORD }),
    });
    const cookie = login.headers.get('set-cookie')!.split(';')[0];
    const headers = { cookie, 'content-type': 'application/json', origin: baseUrl };
    const chat = await fetch(`${baseUrl}/api/auspex/chat/sessions`, {
      method: 'POST',
      headers,
      body: JSON.stringify({ topic: TOPIC, title: 'Long answer' }),
    });
    // Six chunks 400 ms apart: the answer takes well past the 1 s request timeout.
    f.fake.enqueue({ chunks: ['One ', 'two ', 'three ', 'four ', 'five ', 'six.'], chunkDelayMs: 400 });
    const res = await fetch(`${baseUrl}/api/auspex/chat/message`, {
      method: 'POST',
      headers,
      body: JSON.stringify({ chat_id: (await chat.json()).chat_id, message: 'Tell me about robots' }),
    });
    const body = await res.text();
    expect(body).toContain('"done":true');
    expect(body).toContain('"status":"ok"');
    expect(body).toContain('six.');
  });
});
