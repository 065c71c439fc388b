import { Entity } from '@backstage/catalog-model';
import { CatalogYamlDocument, parseCatalogYaml } from './CatalogYamlDocument';
import { isMapping } from './isMapping';
import { PlacedProblem } from './LintProblem';

/** An entity as written in a file: the data and where each part of it is. */
export interface LocatedEntity {
  /** Only apiVersion and kind are known to be strings; the rest is unchecked. */
  entity: Entity;
  source: CatalogYamlDocument;
}

export interface CatalogText {
  entities: LocatedEntity[];
  problems: PlacedProblem[];
}

/** What a document is, in the catalog's words, when it is not a mapping. */
const describeRoot = (value: unknown) =>
  Array.isArray(value) ? 'a list' : `a ${typeof value}`;

/**
 * The entities of a catalog file, read as the catalog reads them: a document
 * with a YAML error is skipped (the catalog reports its first error), an empty
 * one is ignored, anything but a mapping is refused.
 */
export function readCatalogText(text: string): CatalogText {
  const entities: LocatedEntity[] = [];
  const problems: PlacedProblem[] = [];
  for (const source of parseCatalogYaml(text)) {
    const [syntaxError] = source.errors;
    if (syntaxError) {
      problems.push({
        ...syntaxError.position,
        severity: 'error',
        code: 'yaml-invalid',
        message: `Not valid YAML: ${syntaxError.message}`,
      });
      continue;
    }
    const read = source.toData();
    if ('error' in read) {
      problems.push({
        ...source.start,
        severity: 'error',
        code: 'yaml-invalid',
        message: `The YAML cannot be read as data: ${read.error}`,
      });
    } else if (read.data === null) {
      // an empty document, e.g. after a trailing ---
    } else if (!isMapping(read.data)) {
      problems.push({
        ...source.start,
        severity: 'error',
        code: 'not-an-object',
        message: `Expected a catalog entity (a mapping) but found ${describeRoot(
          read.data,
        )}; the catalog refuses this document.`,
      });
    } else if (
      typeof read.data.apiVersion !== 'string' ||
      typeof read.data.kind !== 'string'
    ) {
      problems.push({
        ...source.start,
        severity: 'warning',
        code: 'not-an-entity',
        message:
          'Not a catalog entity (no apiVersion and kind); its backup annotations, if any, are not checked.',
      });
    } else {
      entities.push({ entity: read.data as unknown as Entity, source });
    }
  }
  return { entities, problems };
}
