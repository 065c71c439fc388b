import { glob } from 'glob';
import { readFile } from 'node:fs/promises';
import { dirname, isAbsolute, relative, sep } from 'node:path';
import { ConfigurationError } from '../errors';
import { LintProblem, PlacedProblem } from './LintProblem';
import {
  isUrlTarget,
  LocationTarget,
  locationTargetsOf,
} from './locationTargets';
import { LocatedEntity, readCatalogText } from './readCatalogText';

/** An entity and the file it came from, as shown to the user. */
export interface FileEntity extends LocatedEntity {
  file: string;
}

export interface CatalogFileSet {
  /** Every file read, in the order read, as shown to the user. */
  files: string[];
  entities: FileEntity[];
  problems: LintProblem[];
}

/** Files matching a pattern, sorted: the catalog's own glob for file locations. */
const filesMatching = async (
  pattern: string,
  cwd: string,
  ignore: string[] = [],
) =>
  (
    await glob(pattern, {
      cwd,
      absolute: true,
      nodir: true,
      windowsPathsNoEscape: true,
      ignore,
    })
  ).sort();

// a pattern reaching into every folder still skips installed packages
const IGNORED_BY_PATTERNS = ['**/node_modules/**'];

/**
 * Reads the files the patterns match, and the local files their Location
 * entities point at (relative to the file that names them), each once, so a
 * cycle of Locations ends. URLs are not fetched; an info note says so.
 */
export class CatalogFileReader {
  private readonly queued = new Set<string>();
  private readonly queue: string[] = [];
  private readonly result: CatalogFileSet = {
    files: [],
    entities: [],
    problems: [],
  };

  private constructor(private readonly cwd: string) {}

  /** Throws a usage error for a pattern that matches no file, as eslint does. */
  static async read(patterns: string[], cwd: string): Promise<CatalogFileSet> {
    const reader = new CatalogFileReader(cwd);
    for (const pattern of patterns) {
      const files = await filesMatching(pattern, cwd, IGNORED_BY_PATTERNS);
      if (files.length === 0) {
        throw new ConfigurationError(`no file matches ${pattern}`);
      }
      files.forEach(file => reader.enqueue(file));
    }
    for (let next = reader.queue.shift(); next; next = reader.queue.shift()) {
      await reader.readFile(next);
    }
    return reader.result;
  }

  private enqueue(file: string) {
    if (!this.queued.has(file)) {
      this.queued.add(file);
      this.queue.push(file);
    }
  }

  /** Relative to the working directory when inside it, with forward slashes. */
  private shown(file: string): string {
    const inside = relative(this.cwd, file);
    const name = inside.startsWith('..') || isAbsolute(inside) ? file : inside;
    return name.split(sep).join('/');
  }

  private report(file: string, problems: PlacedProblem[]) {
    const shown = this.shown(file);
    this.result.problems.push(
      ...problems.map(problem => ({ file: shown, ...problem })),
    );
  }

  private async readFile(file: string) {
    const shown = this.shown(file);
    this.result.files.push(shown);
    let text: string;
    try {
      text = await readFile(file, 'utf8');
    } catch (error) {
      this.report(file, [
        {
          line: 1,
          column: 1,
          severity: 'error',
          code: 'file-unreadable',
          message: `Cannot read the file: ${(error as Error).message}`,
        },
      ]);
      return;
    }
    const { entities, problems } = readCatalogText(text);
    this.report(file, problems);
    for (const located of entities) {
      this.result.entities.push({ file: shown, ...located });
      for (const target of locationTargetsOf(located)) {
        this.report(file, await this.follow(file, target));
      }
    }
  }

  private async follow(
    file: string,
    { target, position, optional }: LocationTarget,
  ): Promise<PlacedProblem[]> {
    if (isUrlTarget(target)) {
      const message = `Location target ${target} is not checked: the lint reads local files only.`;
      return [
        {
          ...position,
          severity: 'info',
          code: 'location-target-remote',
          message,
        },
      ];
    }
    const matches = await filesMatching(target, dirname(file));
    matches.forEach(match => this.enqueue(match));
    if (matches.length > 0 || optional) return [];
    return [
      {
        ...position,
        severity: 'error',
        code: 'location-target-missing',
        message: `Location target ${target} matches no file (relative to the folder of ${this.shown(
          file,
        )}).`,
      },
    ];
  }
}
