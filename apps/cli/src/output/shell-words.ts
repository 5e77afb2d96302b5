/**
 * Command lines for people to read and paste into a POSIX shell: each word quoted only where the
 * shell would otherwise split or expand it.
 *
 * @packageDocumentation
 */

/** Characters a word may hold and stay unquoted. */
const SAFE_WORD = /^[A-Za-z0-9_@%+=:,./-]+$/;

/**
 * Quotes one word for a POSIX shell: unchanged when it holds only safe characters, otherwise
 * in single quotes, with each `'` written `'\''`.
 *
 * @param word - the word.
 * @returns the word as a shell reads it back unchanged.
 *
 * @example
 * ```ts
 * [shellQuote('--d'), shellQuote('runs/a b'), shellQuote("it's"), shellQuote('')]; // => ["--d", "'runs/a b'", "'it'\\''s'", "''"]
 * ```
 */
export function shellQuote(word: string): string {
  return SAFE_WORD.test(word) ? word : `'${word.replace(/'/g, `'\\''`)}'`;
}

/**
 * A command line from its words, each quoted by {@link shellQuote}.
 *
 * @param words - the program and its arguments.
 * @returns the line.
 */
export function commandLine(words: readonly string[]): string {
  return words.map(shellQuote).join(' ');
}
