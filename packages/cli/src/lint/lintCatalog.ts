import { BackupPolicy } from '@backup-assurance/plugin-backup-common';
import { EXIT_CODES, ExitCode } from '../errors';
import { ApproverMemberships } from './ApproverMemberships';
import { lintEntity } from './lintEntity';
import { LintProblem } from './LintProblem';
import { CatalogFileReader, FileEntity } from './readCatalogFiles';
import { readCatalogText } from './readCatalogText';

export interface LintOptions {
  policy: BackupPolicy;
  now: Date;
}

export interface LintReport {
  /** Every file checked, in the order read (Location targets after their Location). */
  files: string[];
  /** By file, then line and column. */
  problems: LintProblem[];
}

/** Evaluates every entity; group memberships come from all files at once. */
function lintEntities(
  entities: FileEntity[],
  { policy, now }: LintOptions,
): LintProblem[] {
  const memberships = ApproverMemberships.fromEntities(
    entities.map(e => e.entity),
  );
  return entities.flatMap(located =>
    lintEntity(located, { policy, now, memberships }).map(problem => ({
      file: located.file,
      ...problem,
    })),
  );
}

function sortedByPlace(problems: LintProblem[], files: string[]) {
  const order = new Map(files.map((file, index) => [file, index]));
  return [...problems].sort(
    (a, b) =>
      (order.get(a.file) ?? 0) - (order.get(b.file) ?? 0) ||
      a.line - b.line ||
      a.column - b.column,
  );
}

/** Lints the files the patterns match and the local files their Locations name. */
export async function lintCatalogFiles(
  patterns: string[],
  cwd: string,
  options: LintOptions,
): Promise<LintReport> {
  const read = await CatalogFileReader.read(patterns, cwd);
  const problems = [...read.problems, ...lintEntities(read.entities, options)];
  return { files: read.files, problems: sortedByPlace(problems, read.files) };
}

/** Lints one file's text without reading any other file (Locations are not followed). */
export function lintCatalogText(
  text: string,
  file: string,
  options: LintOptions,
): LintProblem[] {
  const { entities, problems } = readCatalogText(text);
  return sortedByPlace(
    [
      ...problems.map(problem => ({ file, ...problem })),
      ...lintEntities(
        entities.map(located => ({ file, ...located })),
        options,
      ),
    ],
    [file],
  );
}

/** `--warn-only`: every error reported as a warning. */
export const asWarnings = (problems: LintProblem[]): LintProblem[] =>
  problems.map(problem =>
    problem.severity === 'error'
      ? { ...problem, severity: 'warning' }
      : problem,
  );

/** 1 when any problem is an error, else 0. */
export const lintExitCode = (problems: LintProblem[]): ExitCode =>
  problems.some(problem => problem.severity === 'error')
    ? EXIT_CODES.failed
    : EXIT_CODES.ok;
