/**
 * The `--report` flag and where `report.html` goes: into the run's `--out` directory (recorded in
 * its `files` like every other file of the run) or, without `--out`, into the current directory.
 * The destination is checked before anything is computed, so a run is never lost to a report
 * that cannot be written; the file is written atomically.
 *
 * @packageDocumentation
 */
import { accessSync, constants, statSync } from 'node:fs';
import { join } from 'node:path';
import type { BooleanFlagSpec } from '../parse-flags';
import { FileError } from '../errors';
import type { RunDirectory } from '../io/run-directory';
import { writeFileAtomic } from '../io/write-file-atomic';
import type { Versions } from '../versions';

/** The name of a report. */
export const REPORT_FILE = 'report.html';

/** The `--report` flag. */
export const reportFlag: BooleanFlagSpec = {
  type: 'boolean',
  description: `write ${REPORT_FILE} (figures, numbers, configuration; one offline file) into --out, or here`,
};

/**
 * Checks, before the run, that `report.html` can be written into `directory`.
 *
 * @param directory - the directory (default: the current one).
 * @returns the report's path.
 * @throws {@link FileError} naming the path when the directory is missing, not a directory or
 *   not writable, or when `report.html` there is a directory.
 */
export function reportPathIn(directory = '.'): string {
  const path = join(directory, REPORT_FILE);
  try {
    if (!statSync(directory).isDirectory()) throw Object.assign(new Error('not a directory'), { code: 'ENOTDIR' });
    accessSync(directory, constants.W_OK);
    if (statSync(path, { throwIfNoEntry: false })?.isDirectory() === true) throw Object.assign(new Error('is a directory'), { code: 'EISDIR' });
  } catch (cause) {
    throw new FileError(path, 'write', cause, '--report');
  }
  return path;
}

/**
 * Writes a report: into the run directory when there is one, else to `path`.
 *
 * @param html - the page.
 * @param where - the run directory, or the path checked by {@link reportPathIn}.
 * @returns the path written, as the user would name it.
 */
export async function writeReport(html: string, where: RunDirectory | string): Promise<string> {
  if (typeof where === 'string') {
    await writeFileAtomic(where, html);
    return where;
  }
  return where.writeFile('report', REPORT_FILE, html);
}

/**
 * The versions a report lists: the CLI, each package, Node and the linear-algebra backend.
 *
 * @param versions - from `collectVersions()`.
 * @returns name → version.
 */
export function reportVersions(versions: Versions): Record<string, string> {
  return {
    '@shallowscape/cli': versions.cli,
    ...Object.fromEntries(versions.packages.map((p) => [p.name, p.version ?? 'not installed'])),
    node: versions.node,
    backend: `${versions.backend.name} (${versions.backend.precision})`,
  };
}

