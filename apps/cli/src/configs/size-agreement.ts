/**
 * Sizes fixed by flags and files: a matrix given as a file fixes its dimensions, and a size flag
 * given as well must agree, or it is an error that names both.
 *
 * @packageDocumentation
 */
import { ShapeError } from '@shallowscape/linalg';

/** One claim about a size: from a flag (`--d is 5`) or a file (`--inputs "X.npy" is 100×7 (d = 7)`). */
export interface SizeClaim {
  value: number;
  text: string;
}

/**
 * `--flag "path" is r×c`, for messages about a matrix file.
 *
 * @example
 * ```ts
 * describeFile('--weights', 'W.npy', { rows: 4, cols: 3 }); // => "--weights \"W.npy\" is 4×3"
 * ```
 */
export function describeFile(flag: string, path: string, m: { rows: number; cols: number }): string {
  return `${flag} ${JSON.stringify(path)} is ${m.rows}×${m.cols}`;
}

/**
 * The claim of a size flag, if given.
 *
 * @example
 * ```ts
 * flagClaim('d', 5); // => [{ value: 5, text: "--d is 5" }]
 * ```
 */
export function flagClaim(flag: string, value: number | undefined): SizeClaim[] {
  return value === undefined ? [] : [{ value, text: `--${flag} is ${value}` }];
}

/**
 * The claim a matrix file makes about a size (its rows or columns).
 *
 * @example
 * ```ts
 * fileClaim('inputs', 'X.npy', { rows: 100, cols: 7 }, 'd', 7).text; // => "--inputs \"X.npy\" is 100×7 (d = 7)"
 * ```
 */
export function fileClaim(flag: string, path: string, m: { rows: number; cols: number }, symbol: string, value: number): SizeClaim {
  return { value, text: `${describeFile(`--${flag}`, path, m)} (${symbol} = ${value})` };
}

/**
 * Resolves a size from the flag and files that fix it.
 *
 * @param symbol - the size's name for the message (`"d"`).
 * @param claims - the claims; the first decides when all agree.
 * @returns the agreed value, or `undefined` when nothing fixes it.
 * @throws {@link @shallowscape/linalg!ShapeError | ShapeError} naming the first two claims that disagree.
 * @example
 * ```ts
 * agreeOn('d', [...flagClaim('d', 7), fileClaim('inputs', 'X.npy', { rows: 100, cols: 7 }, 'd', 7)]); // => 7
 * ```
 */
export function agreeOn(symbol: string, claims: readonly SizeClaim[]): number | undefined {
  const first = claims[0];
  for (const claim of claims.slice(1)) {
    if (claim.value !== first!.value) throw new ShapeError(`${first!.text} but ${claim.text}; they must agree (${symbol})`, symbol);
  }
  return first?.value;
}
