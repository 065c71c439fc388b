import { BackupFindingCode } from '@backup-assurance/plugin-backup-common';
import { SourcePosition } from './CatalogYamlDocument';

export type LintSeverity = 'error' | 'warning' | 'info';

/**
 * Problems of a file itself, found before any entity is evaluated; the
 * evaluation's own findings keep their backup-common codes.
 */
export const FILE_PROBLEM_CODES = [
  /** The text is not YAML, or a document cannot become data. */
  'yaml-invalid',
  /** A document is a list or a scalar: the catalog wants a mapping. */
  'not-an-object',
  /** A mapping without apiVersion and kind: not a catalog entity. */
  'not-an-entity',
  /** An entity the catalog rejects: no metadata.name, annotations not a map. */
  'entity-invalid',
  /** The catalog accepts string annotation values only. */
  'annotation-not-string',
  /** A Location's target matches no file. */
  'location-target-missing',
  /** A file that cannot be read (permissions, a directory, …). */
  'file-unreadable',
  /** A Location's target is a URL, which the lint does not fetch. */
  'location-target-remote',
  /** An exemption approver whose group memberships the linted files do not show. */
  'exemption-approver-unchecked',
] as const;

export type FileProblemCode = (typeof FILE_PROBLEM_CODES)[number];

export type LintProblemCode = FileProblemCode | BackupFindingCode;

/** One problem at a place in a file. */
export interface LintProblem extends SourcePosition {
  /** As given or found, relative to the working directory when inside it. */
  file: string;
  severity: LintSeverity;
  code: LintProblemCode;
  message: string;
  /** The entity concerned, e.g. component:default/payments-api. */
  entityRef?: string;
  /** The annotation concerned, if any. */
  annotation?: string;
}

/** A problem still to be placed in its file. */
export type PlacedProblem = Omit<LintProblem, 'file'>;
