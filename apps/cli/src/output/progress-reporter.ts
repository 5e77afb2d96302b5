/**
 * The one progress display of the CLI (train, reproduce, and every long command): a bar redrawn
 * in place on a terminal, a line every few seconds otherwise. It writes on stderr only, so stdout
 * carries nothing but the result.
 *
 * @packageDocumentation
 */
import type { OutputStream } from '../context';

/** Options of {@link ProgressReporter}. */
export interface ProgressReporterOptions {
  /** Milliseconds between redraws on a terminal (default 100). */
  redrawMs?: number;
  /** Milliseconds between lines when the stream is not a terminal (default 10000; `Infinity`: never). */
  lineMs?: number;
  /** The clock, in milliseconds (default `performance.now`). */
  now?: () => number;
  /** Show nothing at all (e.g. with `--json`, whose callers read stdout and stderr as data); default `true`. */
  enabled?: boolean;
}

/** Whether `stream` is a terminal, and its width in columns (80 when unknown). */
export function terminalOf(stream: OutputStream): { tty: boolean; columns: number } {
  const s = stream as { isTTY?: unknown; columns?: unknown };
  return { tty: s.isTTY === true, columns: typeof s.columns === 'number' && s.columns > 20 ? s.columns : 80 };
}

/**
 * Reports the progress of a long computation on `stream`. On a terminal each {@link update}
 * redraws one line in place (at most every `redrawMs`), with a bar when the fraction done is
 * known; otherwise it writes the text as a new line at most every `lineMs` (the first update
 * waits one interval, so quick runs print nothing). {@link clear} erases the terminal line before
 * other output.
 *
 * @example
 * ```ts
 * const lines: string[] = [];
 * let t = 0;
 * const progress = new ProgressReporter({ write: (s: string) => lines.push(s) }, { lineMs: 1000, now: () => t });
 * progress.update('step 1/10', 0.1);
 * t = 1500;
 * progress.update('step 5/10', 0.5);
 * lines; // => ["[############............] step 5/10\n"]
 * ```
 */
export class ProgressReporter {
  private readonly tty: boolean;
  private readonly columns: number;
  private readonly redrawMs: number;
  private readonly lineMs: number;
  private readonly now: () => number;
  private readonly enabled: boolean;
  private last: number;
  private drawn = false;

  /**
   * @param stream - where to write (stderr).
   * @param options - intervals and clock.
   */
  constructor(
    private readonly stream: OutputStream,
    options: ProgressReporterOptions = {},
  ) {
    const terminal = terminalOf(stream);
    this.tty = terminal.tty;
    this.columns = terminal.columns;
    this.redrawMs = options.redrawMs ?? 100;
    this.lineMs = options.lineMs ?? 10_000;
    this.now = options.now ?? (() => performance.now());
    this.enabled = options.enabled ?? true;
    this.last = this.tty ? -Infinity : this.now();
  }

  /**
   * Shows `text`, after a 24-character bar when `fraction` (in [0, 1]) is given.
   *
   * @param text - what is being done (one line).
   * @param fraction - the fraction done, if known.
   */
  update(text: string, fraction?: number): void {
    if (!this.enabled) return;
    const now = this.now();
    if (now - this.last < (this.tty ? this.redrawMs : this.lineMs)) return;
    this.last = now;
    let line = text;
    if (fraction !== undefined && Number.isFinite(fraction)) {
      const f = Math.min(1, Math.max(0, fraction));
      const filled = Math.round(f * 24);
      line = `[${'#'.repeat(filled)}${'.'.repeat(24 - filled)}] ${text}`;
    }
    if (this.tty) {
      this.stream.write(`\r${line.slice(0, Math.max(10, this.columns - 1))}\x1b[K`);
      this.drawn = true;
    } else {
      this.stream.write(`${line}\n`);
    }
  }

  /** Erases the line drawn on a terminal (nothing otherwise). */
  clear(): void {
    if (this.drawn) this.stream.write('\r\x1b[K');
    this.drawn = false;
  }
}
