import Mustache from 'mustache';

// A case's `variables` fill the Mustache tags of the prompt text and of the case's query. Rules,
// for a user who wants to know exactly what was sent:
// - Only a case with variables (a non-empty object) is rendered; without them the text is sent
//   as written, `{{` and all. A text without `{{` is never touched.
// - Nothing is HTML-escaped: the model reads text, not HTML (`{{x}}` and `{{{x}}}` are the same).
// - A plain tag (`{{name}}`) the case has no value for is an error of that cell naming the tag,
//   and no model is called: a prompt with a silent hole would be judged as if it were whole.
//   A section (`{{#name}}…{{/name}}`, `{{^name}}…{{/name}}`) over a missing value is how Mustache
//   says "optional", so it is allowed and renders as Mustache renders it.
// - A template that does not parse (an unclosed tag or section) or uses a partial (`{{> x}}`) is
//   an error of that cell saying where.

type Spans = any[][];
type Variables = Record<string, unknown>;

export type Rendered = { ok: true; text: string } | { ok: false; error: string };

const noEscape = (value: unknown) => String(value);

/** The plain tags of `spans` that have no value, looked up as Mustache would (sections included). */
function missingTags(spans: Spans, context: Mustache.Context, missing: Set<string>): void {
  for (const span of spans) {
    const [type, name, , , children] = span as [string, string, number, number, Spans?];
    if (type === 'name' || type === '&') {
      if (context.lookup(name) === undefined) missing.add(name);
    } else if (type === '#') {
      const value = context.lookup(name);
      if (Array.isArray(value))
        for (const item of value) missingTags(children ?? [], context.push(item), missing);
      else if (value && typeof value === 'object') missingTags(children ?? [], context.push(value), missing);
      else if (value) missingTags(children ?? [], context, missing);
    } else if (type === '^') {
      const value = context.lookup(name);
      if (!value || (Array.isArray(value) && value.length === 0))
        missingTags(children ?? [], context, missing);
    }
  }
}

const hasPartial = (spans: Spans): string | undefined => {
  for (const span of spans) {
    if (span[0] === '>') return span[1];
    const inner = Array.isArray(span[4]) ? hasPartial(span[4]) : undefined;
    if (inner !== undefined) return inner;
  }
  return undefined;
};

/** Renders one text (`what` names it in errors: "the prompt", "the query"). */
export function renderTemplate(text: string, variables: Variables, what: string): Rendered {
  if (!text.includes('{{')) return { ok: true, text };
  let spans: Spans;
  try {
    spans = Mustache.parse(text) as Spans;
  } catch (err) {
    return { ok: false, error: `Template error in ${what}: ${(err as Error).message}` };
  }
  const partial = hasPartial(spans);
  if (partial !== undefined) {
    return { ok: false, error: `Template error in ${what}: partials ({{> ${partial}}}) are not supported` };
  }
  const missing = new Set<string>();
  missingTags(spans, new Mustache.Context(variables), missing);
  if (missing.size > 0) {
    const tags = [...missing].map((m) => `{{${m}}}`).join(', ');
    const given = Object.keys(variables).sort().join(', ');
    return {
      ok: false,
      error: `The case has no value for ${tags} in ${what} (its variables: ${given})`,
    };
  }
  // escape per render: Mustache.escape, shared with any other user of the package, stays as it is.
  return { ok: true, text: Mustache.render(text, variables, undefined, { escape: noEscape }) };
}

export interface RenderedCase {
  system: string;
  message: string;
}

/** The prompt and the query as sent for this case; `error` says why the cell cannot run. */
export function renderCase(
  prompt: string,
  query: string,
  variables: Variables | undefined,
): { ok: true; value: RenderedCase } | { ok: false; error: string } {
  if (!variables || Object.keys(variables).length === 0)
    return { ok: true, value: { system: prompt, message: query } };
  const system = renderTemplate(prompt, variables, 'the prompt');
  if (!system.ok) return system;
  const message = renderTemplate(query, variables, 'the query');
  if (!message.ok) return message;
  return { ok: true, value: { system: system.text, message: message.text } };
}
