/**
 * The error for a matrix file whose contents are wrong (as opposed to {@link FileError}, for a
 * file that cannot be read or written at all).
 *
 * @packageDocumentation
 */
import { ShallowscapeError } from '@shallowscape/linalg';

/**
 * A matrix file (`.npy`, `.csv`, `.json`) exists but its contents are not what the CLI accepts:
 * bad magic, an unsupported dtype, a truncated body, a ragged CSV row, a non-finite entry, an
 * unknown extension. The one-line message names the flag (when there is one), the file and what
 * is wrong, e.g.
 * `--weights "W.npy": truncated data: shape (3, 4) float64 needs 96 bytes after the header, the file has 40`.
 * The top-level handler prints it with exit code 2.
 */
export class FileFormatError extends ShallowscapeError {
  /** The path as the user gave it. */
  readonly path: string;
  /** What is wrong, without the file name. */
  readonly problem: string;

  /**
   * @param path - the file, as given on the command line.
   * @param problem - what is wrong, e.g. `"big-endian dtype '>f8' is not supported"`.
   * @param argument - the flag that named the file, e.g. `"--weights"` (optional).
   */
  constructor(path: string, problem: string, argument?: string) {
    super(`${argument !== undefined ? `${argument} ` : ''}${JSON.stringify(path)}: ${problem}`, 'E_FILE_FORMAT', argument ?? path);
    this.path = path;
    this.problem = problem;
  }
}
