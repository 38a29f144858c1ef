import type { Protocol } from './server';

// How the fake reads a request body in either wire format, and the deterministic default reply
// that proves what reached the upstream (system prompt, first article, last message).

/** The system prompt as the upstream received it (OpenAI system/developer messages or Anthropic `system`). */
export function extractSystem(body: any): string {
  if (!body || typeof body !== 'object') return '';
  if (body.system !== undefined) return blocksText(body.system);
  const messages: any[] = Array.isArray(body.messages) ? body.messages : [];
  return messages
    .filter((m) => m.role === 'system' || m.role === 'developer')
    .map((m) => blocksText(m.content))
    .join('\n');
}

/** Every piece of text in the request: system prompt, messages, tool results. */
export function extractText(body: any): string {
  if (!body || typeof body !== 'object') return '';
  const messages: any[] = Array.isArray(body.messages) ? body.messages : [];
  const parts = body.system !== undefined ? [blocksText(body.system)] : [];
  for (const m of messages) parts.push(blocksText(m.content));
  return parts.filter(Boolean).join('\n');
}

/**
 * The first article title found in the request text: a `title="…"` attribute, a `"title": "…"`
 * JSON field, or a `Title: …` line — whichever comes first.
 */
export function firstArticleTitle(text: string): string | null {
  const patterns = [/\btitle="([^"\n]+)"/i, /"title"\s*:\s*"([^"\n]+)"/i, /^[ \t#*-]*title\s*:\s*(.+)$/im];
  let best: { at: number; title: string } | null = null;
  for (const re of patterns) {
    const m = re.exec(text);
    if (m && (best === null || m.index < best.at)) best = { at: m.index, title: m[1].trim() };
  }
  return best?.title ?? null;
}

/** The default answer: deterministic and derived from the request. */
export function defaultReply(body: any, _protocol: Protocol): string {
  const system = oneLine(extractSystem(body)).slice(0, 80);
  const title = firstArticleTitle(extractText(body));
  const messages: any[] = Array.isArray(body?.messages) ? body.messages : [];
  // The last user text, not a tool result (Anthropic carries those in user messages).
  const userTexts = messages
    .filter((m) => m.role === 'user')
    .map((m) => blocksText(m.content, false))
    .filter(Boolean);
  const last = oneLine(userTexts.at(-1) ?? '').slice(0, 80);
  const toolResults = countToolResults(messages);
  const parts = [
    `Fake upstream reply. System prompt begins: "${system}".`,
    `First article: ${title ? `"${title}"` : 'none'}.`,
    `Last user message: "${last}".`,
  ];
  if (toolResults > 0) parts.push(`Tool results received: ${toolResults}.`);
  return parts.join(' ');
}

/** A stable stand-in for a tokenizer: a quarter of the request's characters. */
export function tokenEstimate(body: any): number {
  return Math.max(1, Math.ceil(extractText(body).length / 4));
}

function countToolResults(messages: any[]): number {
  let n = 0;
  for (const m of messages) {
    if (m.role === 'tool') n++;
    if (Array.isArray(m.content)) n += m.content.filter((b: any) => b?.type === 'tool_result').length;
  }
  return n;
}

function blocksText(content: unknown, withToolResults = true): string {
  if (typeof content === 'string') return content;
  if (!Array.isArray(content)) return '';
  return content
    .map((b: any) => {
      if (typeof b === 'string') return b;
      if (b?.type === 'text') return b.text ?? '';
      if (b?.type === 'tool_result' && withToolResults) return blocksText(b.content);
      return '';
    })
    .filter(Boolean)
    .join('\n');
}

const oneLine = (s: string) => s.replace(/\s+/g, ' ').trim();
