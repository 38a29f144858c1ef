import { Tiktoken } from 'js-tiktoken/lite';
import o200kBase from 'js-tiktoken/ranks/o200k_base';

// o200k_base ships with js-tiktoken (no download). Building it parses ~200k ranks (about a second),
// so it is made once, on first use, and shared.
let encoder: Tiktoken | undefined;

// Pure-JS BPE costs ~0.7 µs a character, and the same articles are packed turn after turn, so
// counts of longer texts are remembered (least recently used first out, bounded by characters).
const MEMO_MIN_CHARS = 256;
const MEMO_MAX_CHARS = 8_000_000;
const memo = new Map<string, number>();
let memoChars = 0;

export function countTokens(text: string): number {
  if (text.length < MEMO_MIN_CHARS) return encode(text);
  const known = memo.get(text);
  if (known !== undefined) {
    memo.delete(text);
    memo.set(text, known);
    return known;
  }
  const n = encode(text);
  memo.set(text, n);
  memoChars += text.length;
  for (const oldest of memo.keys()) {
    if (memoChars <= MEMO_MAX_CHARS) break;
    memo.delete(oldest);
    memoChars -= oldest.length;
  }
  return n;
}

function encode(text: string): number {
  // The lite entry loads only this encoding's ranks, not all five.
  encoder ??= new Tiktoken(o200kBase);
  // Special-token text such as "<|endoftext|>" inside an article is counted as plain text, not rejected.
  return encoder.encode(text, [], []).length;
}
