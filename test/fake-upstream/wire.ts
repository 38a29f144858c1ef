import type { ServerResponse } from 'node:http';
import type { Protocol, Scenario } from './server';

// The two wire formats the fake speaks: response bodies, SSE event sequences and error bodies.

export interface Reply {
  n: number;
  model: string;
  chunks: string[];
  toolCalls: { id: string; name: string; arguments: string; input: unknown }[];
  usage: { input_tokens: number; output_tokens: number };
}

export interface SseEvent {
  data: string;
  /** Carries answer text (counted by dropAfterChunks). */
  text?: boolean;
}

export function openaiJson(r: Reply) {
  return {
    id: `chatcmpl-${r.n}`,
    object: 'chat.completion',
    created: 1_700_000_000,
    model: r.model,
    choices: [
      {
        index: 0,
        message: {
          role: 'assistant',
          content: r.chunks.join('') || null,
          ...(r.toolCalls.length
            ? {
                tool_calls: r.toolCalls.map((c) => ({
                  id: c.id,
                  type: 'function',
                  function: { name: c.name, arguments: c.arguments },
                })),
              }
            : {}),
        },
        finish_reason: r.toolCalls.length ? 'tool_calls' : 'stop',
      },
    ],
    usage: openaiUsage(r),
  };
}

const openaiUsage = (r: Reply) => ({
  prompt_tokens: r.usage.input_tokens,
  completion_tokens: r.usage.output_tokens,
  total_tokens: r.usage.input_tokens + r.usage.output_tokens,
});

export function* openaiEvents(r: Reply, includeUsage: boolean): Generator<SseEvent> {
  const chunk = (delta: object, finish: string | null = null, extra: object = {}) => ({
    data: `data: ${JSON.stringify({
      id: `chatcmpl-${r.n}`,
      object: 'chat.completion.chunk',
      created: 1_700_000_000,
      model: r.model,
      choices: [{ index: 0, delta, finish_reason: finish }],
      ...extra,
    })}\n\n`,
  });
  yield chunk({ role: 'assistant', content: '' });
  for (const text of r.chunks) yield { ...chunk({ content: text }), text: true };
  for (const [index, c] of r.toolCalls.entries()) {
    yield chunk({
      tool_calls: [{ index, id: c.id, type: 'function', function: { name: c.name, arguments: '' } }],
    });
    // Arguments arrive in pieces, as real servers send them.
    for (const part of splitInTwo(c.arguments)) {
      yield chunk({ tool_calls: [{ index, function: { arguments: part } }] });
    }
  }
  yield chunk({}, r.toolCalls.length ? 'tool_calls' : 'stop');
  if (includeUsage) {
    yield {
      data: `data: ${JSON.stringify({
        id: `chatcmpl-${r.n}`,
        object: 'chat.completion.chunk',
        created: 1_700_000_000,
        model: r.model,
        choices: [],
        usage: openaiUsage(r),
      })}\n\n`,
    };
  }
  yield { data: 'data: [DONE]\n\n' };
}

export function anthropicJson(r: Reply) {
  const text = r.chunks.join('');
  return {
    id: `msg_${r.n}`,
    type: 'message',
    role: 'assistant',
    model: r.model,
    content: [
      ...(text ? [{ type: 'text', text }] : []),
      ...r.toolCalls.map((c) => ({ type: 'tool_use', id: c.id, name: c.name, input: c.input })),
    ],
    stop_reason: r.toolCalls.length ? 'tool_use' : 'end_turn',
    stop_sequence: null,
    usage: { input_tokens: r.usage.input_tokens, output_tokens: r.usage.output_tokens },
  };
}

export function* anthropicEvents(r: Reply): Generator<SseEvent> {
  const ev = (type: string, payload: object, text?: boolean): SseEvent => ({
    data: `event: ${type}\ndata: ${JSON.stringify({ type, ...payload })}\n\n`,
    text,
  });
  yield ev('message_start', {
    message: {
      id: `msg_${r.n}`,
      type: 'message',
      role: 'assistant',
      model: r.model,
      content: [],
      stop_reason: null,
      stop_sequence: null,
      usage: { input_tokens: r.usage.input_tokens, output_tokens: 1 },
    },
  });
  yield ev('ping', {});
  let index = 0;
  if (r.chunks.length) {
    yield ev('content_block_start', { index, content_block: { type: 'text', text: '' } });
    for (const text of r.chunks) {
      yield ev('content_block_delta', { index, delta: { type: 'text_delta', text } }, true);
    }
    yield ev('content_block_stop', { index });
    index++;
  }
  for (const c of r.toolCalls) {
    yield ev('content_block_start', {
      index,
      content_block: { type: 'tool_use', id: c.id, name: c.name, input: {} },
    });
    for (const part of splitInTwo(c.arguments)) {
      yield ev('content_block_delta', { index, delta: { type: 'input_json_delta', partial_json: part } });
    }
    yield ev('content_block_stop', { index });
    index++;
  }
  yield ev('message_delta', {
    delta: { stop_reason: r.toolCalls.length ? 'tool_use' : 'end_turn', stop_sequence: null },
    usage: { output_tokens: r.usage.output_tokens },
  });
  yield ev('message_stop', {});
}

export function sendError(res: ServerResponse, protocol: Protocol, s: Scenario) {
  const status = s.quota && protocol === 'anthropic' ? 400 : (s.status ?? 500);
  const headers: Record<string, string> = {};
  if (s.retryAfter !== undefined) headers['retry-after'] = String(s.retryAfter);
  if (protocol === 'openai') {
    const type = s.quota ? 'insufficient_quota' : (s.error?.type ?? openaiErrorType(status));
    const message =
      s.error?.message ??
      (s.quota
        ? 'You exceeded your current quota, please check your plan and billing details.'
        : `Fake upstream error ${status}`);
    return json(
      res,
      s.quota ? 429 : status,
      {
        error: { message, type, param: null, code: s.quota ? 'insufficient_quota' : (s.error?.code ?? null) },
      },
      headers,
    );
  }
  const type = s.quota ? 'invalid_request_error' : (s.error?.type ?? anthropicErrorType(status));
  const message =
    s.error?.message ??
    (s.quota
      ? 'Your credit balance is too low to access the Anthropic API. Please go to Plans & Billing to upgrade or purchase credits.'
      : `Fake upstream error ${status}`);
  return json(res, status, { type: 'error', error: { type, message } }, headers);
}

function openaiErrorType(status: number): string {
  if (status === 429) return 'rate_limit_exceeded';
  if (status === 401) return 'invalid_api_key';
  if (status >= 500) return 'server_error';
  return 'invalid_request_error';
}

function anthropicErrorType(status: number): string {
  const types: Record<number, string> = {
    400: 'invalid_request_error',
    401: 'authentication_error',
    403: 'permission_error',
    404: 'not_found_error',
    429: 'rate_limit_error',
    529: 'overloaded_error',
  };
  return types[status] ?? 'api_error';
}

export function json(
  res: ServerResponse,
  status: number,
  payload: unknown,
  headers: Record<string, string> = {},
): void {
  res.writeHead(status, { 'content-type': 'application/json', ...headers });
  res.end(JSON.stringify(payload));
}

export function splitInTwo(s: string): string[] {
  if (s.length < 2) return [s];
  const mid = Math.floor(s.length / 2);
  return [s.slice(0, mid), s.slice(mid)];
}
