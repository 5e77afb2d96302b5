/**
 * The error for everything that goes wrong while talking to Slurm through its command-line tools
 * (`sbatch`, `squeue`, `scontrol`, `scancel`).
 *
 * @packageDocumentation
 */
import { ShallowscapeError } from '@shallowscape/linalg';

/** What a {@link SlurmError} knows about the failed tool run, beyond its message. */
export interface SlurmErrorDetails {
  /** The tool's exit code, or `null` when it did not run (not found) or was killed. */
  readonly exitCode?: number | null;
  /** What the tool printed on standard error, trimmed (empty when it did not run). */
  readonly stderr?: string;
  /** The underlying error (a system error such as `ENOENT`), if any. */
  readonly cause?: unknown;
}

/**
 * A Slurm command-line tool could not be run (not installed: not a Slurm login node), failed
 * (non-zero exit: the job was rejected, the controller cannot be reached), did not answer in time,
 * or printed something the CLI cannot read. The one-line message names the tool and says what
 * happened, quoting the tool's own error, e.g.
 * `sbatch failed (exit 1): sbatch: error: Batch job submission failed: Invalid partition name specified`.
 * `code` is `"E_SLURM"` and `argument` the tool's name; the top-level handler prints it with exit code 2.
 *
 * @param tool - the tool, e.g. `"sbatch"`.
 * @param message - the whole message, naming the tool.
 * @param details - the exit code, standard error and cause, where known.
 * @example
 * ```ts
 * const error = new SlurmError('squeue', 'squeue did not answer within 120 s');
 * error.code; // => "E_SLURM"
 * error.tool; // => "squeue"
 * ```
 */
export class SlurmError extends ShallowscapeError {
  /** The Slurm tool that failed, e.g. `"sbatch"`. */
  readonly tool: string;
  /** Its exit code; `null` when it did not run to an exit (not found, killed, timed out). */
  readonly exitCode: number | null;
  /** What it printed on standard error, trimmed. */
  readonly stderr: string;
  /** The underlying error, if any. */
  override readonly cause: unknown;

  constructor(tool: string, message: string, details: SlurmErrorDetails = {}) {
    super(message, 'E_SLURM', tool);
    this.tool = tool;
    this.exitCode = details.exitCode ?? null;
    this.stderr = details.stderr ?? '';
    this.cause = details.cause;
  }
}
