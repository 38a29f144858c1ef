// JSON may nest at most this deep. Deeper bodies are refused before they are parsed, so no
// recursive walk (validation, the NUL guard, serialising back) ever meets thousands of levels.
export const JSON_MAX_DEPTH = 64;

/** Whether JSON text nests objects and arrays deeper than `max`: one pass over the text, no parse. */
export function jsonNestsDeeperThan(text: string, max = JSON_MAX_DEPTH): boolean {
  let depth = 0;
  let inString = false;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (inString) {
      if (c === 0x5c)
        i++; // backslash: skip the escaped character
      else if (c === 0x22) inString = false;
    } else if (c === 0x22) inString = true;
    else if (c === 0x7b || c === 0x5b) {
      if (++depth > max) return true;
    } else if (c === 0x7d || c === 0x5d) depth--;
  }
  return false;
}

export const tooDeepMessage = (what: string) =>
  `${what} nests objects and arrays deeper than ${JSON_MAX_DEPTH} levels`;
