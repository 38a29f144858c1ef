// Counts in sentences: "1 article", "2 articles", with the language's plural rules, not `n === 1`.
const rules = new Intl.PluralRules('en');
const numbers = new Intl.NumberFormat('en');

/** Whether `n` takes the singular: "1 article is", "2 articles are". */
export const isOne = (n: number): boolean => rules.select(n) === 'one';

/** "1 draft", "1,200 drafts"; `many` for irregular plurals ("1 query", "2 queries"). */
export function plural(n: number, one: string, many = `${one}s`): string {
  return `${numbers.format(n)} ${isOne(n) ? one : many}`;
}
