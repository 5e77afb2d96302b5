/**
 * Links in the documentation site's Markdown (`apps/docs/landing.md`, `apps/docs/guides/*.md`, and
 * the package READMEs, which the site shows as the packages' pages): the site works offline, so a
 * link may leave it only for a paper (arXiv or DOI). Links of the landing page and the guides are
 * otherwise relative and name a file of the site. Fenced code and code spans are ignored.
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const root = fileURLToPath(new URL('../../../', import.meta.url));
const docs = join(root, 'apps/docs');

/** Links to papers: arXiv abstracts and DOIs. */
const PAPER = /^https:\/\/(arxiv\.org\/abs\/\d{4}\.\d{4,5}(v\d+)?|doi\.org\/10\.\d{4,9}\/\S+)$/;

/** The Markdown pages of the site. */
function sitePages(): string[] {
  const guides = readdirSync(join(docs, 'guides'))
    .filter((f) => f.endsWith('.md'))
    .map((f) => join(docs, 'guides', f));
  return [join(docs, 'landing.md'), ...guides].sort();
}

/** Markdown with fenced blocks and code spans blanked out (line numbers kept). */
function withoutCode(markdown: string): string {
  let inFence = false;
  return markdown
    .split('\n')
    .map((line) => {
      if (/^ {0,3}(```|~~~)/.test(line)) {
        inFence = !inFence;
        return '';
      }
      return inFence ? '' : line.replace(/`[^`]*`/g, '');
    })
    .join('\n');
}

interface FoundLink {
  target: string;
  line: number;
}

/** Inline links `[text](target)`, autolinks `<https://…>` and bare `http(s)://` addresses. */
export function findLinks(markdown: string): FoundLink[] {
  const found: FoundLink[] = [];
  withoutCode(markdown)
    .split('\n')
    .forEach((text, index) => {
      const line = index + 1;
      for (const m of text.matchAll(/\]\(\s*<?([^)\s>]+)>?(?:\s+"[^"]*")?\s*\)/g)) found.push({ target: m[1]!, line });
      for (const m of text.matchAll(/<(https?:\/\/[^>\s]+)>/g)) found.push({ target: m[1]!, line });
      const stripped = text.replace(/\]\([^)]*\)/g, '').replace(/<https?:\/\/[^>\s]+>/g, '');
      for (const m of stripped.matchAll(/https?:\/\/[^\s)>\]]+/g)) found.push({ target: m[0].replace(/[.,;:]+$/, ''), line });
    });
  return found;
}

/** Why a link is not allowed on page `file`, or `undefined` when it is. */
export function linkProblem(file: string, target: string): string | undefined {
  if (/^[a-z][a-z0-9+.-]*:/i.test(target)) {
    return PAPER.test(target) ? undefined : `links outside the site (${target}); only papers (https://arxiv.org/abs/…, https://doi.org/…) may be linked`;
  }
  if (target.startsWith('#')) return undefined;
  const path = target.replace(/#.*$/, '');
  const resolved = join(dirname(file), decodeURIComponent(path));
  if (!resolved.startsWith(docs)) return `links to ${target}, outside apps/docs (not part of the site)`;
  if (!existsSync(resolved)) return `links to ${target}, which does not exist`;
  return undefined;
}

/** The package READMEs (discovered on disk), rendered by TypeDoc as the packages' pages. */
function packageReadmes(): string[] {
  const packages = join(root, 'packages');
  return readdirSync(packages)
    .map((p) => join(packages, p, 'README.md'))
    .filter((p) => existsSync(p))
    .sort();
}

describe('links of the documentation site', () => {
  for (const page of packageReadmes()) {
    const name = relative(root, page);
    it(`${name} links outside the site only to papers`, () => {
      const problems = findLinks(readFileSync(page, 'utf8'))
        .filter(({ target }) => /^[a-z][a-z0-9+.-]*:/i.test(target))
        .map(({ target, line }) => ({ line, problem: linkProblem(page, target) }))
        .filter((p) => p.problem !== undefined)
        .map((p) => `${name}:${p.line}: ${p.problem}`);
      expect(problems, problems.join('\n')).toEqual([]);
    });
  }

  for (const page of sitePages()) {
    const name = relative(root, page);
    it(`${name} links only to the site and to papers`, () => {
      const problems = findLinks(readFileSync(page, 'utf8'))
        .map(({ target, line }) => ({ line, problem: linkProblem(page, target) }))
        .filter((p) => p.problem !== undefined)
        .map((p) => `${name}:${p.line}: ${p.problem}`);
      expect(problems, problems.join('\n')).toEqual([]);
    });
  }

  it('the checker flags foreign links and missing files and accepts papers', () => {
    const page = join(docs, 'guides', 'mathematics.md');
    const links = findLinks(
      [
        'See [a paper](https://arxiv.org/abs/2408.03733), [a DOI](https://doi.org/10.1109/TIT.2018.2854560),',
        '[the guide](conventions.md#flags), <https://example.com/x> and https://github.com/a/b.',
        '`https://in.code.span` and [a site](https://foreign.example):',
        '```sh',
        'curl https://in.a.fence',
        '```',
        '[missing](nowhere.md) [outside](../../../README.md)',
      ].join('\n'),
    );
    expect(links.map((l) => [l.line, l.target])).toEqual([
      [1, 'https://arxiv.org/abs/2408.03733'],
      [1, 'https://doi.org/10.1109/TIT.2018.2854560'],
      [2, 'conventions.md#flags'],
      [2, 'https://example.com/x'],
      [2, 'https://github.com/a/b'],
      [3, 'https://foreign.example'],
      [7, 'nowhere.md'],
      [7, '../../../README.md'],
    ]);
    const verdicts = links.map((l) => linkProblem(page, l.target) === undefined);
    expect(verdicts).toEqual([true, true, true, false, false, false, false, false]);
  });
});
