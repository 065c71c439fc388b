import { SourcePosition } from './CatalogYamlDocument';
import { LocatedEntity } from './readCatalogText';

/** One target of a Location entity and where it is written. */
export interface LocationTarget {
  target: string;
  position: SourcePosition;
  /** `spec.presence: optional`: a missing target is no problem. */
  optional: boolean;
}

/** A URL (https:, file:, …); two letters at least, so `C:\` stays a path. */
const URL_SCHEME = /^[a-z][a-z0-9+.-]+:/i;

export const isUrlTarget = (target: string) => URL_SCHEME.test(target);

/**
 * The targets of a `kind: Location` entity, `spec.target` and every one of
 * `spec.targets`, as the catalog's location processing reads them; entries
 * that are no text are left to the catalog's own validation.
 */
export function locationTargetsOf({
  entity,
  source,
}: LocatedEntity): LocationTarget[] {
  if (entity.kind.toLocaleLowerCase('en-US') !== 'location') return [];
  const spec: Record<string, unknown> =
    typeof entity.spec === 'object' && entity.spec !== null ? entity.spec : {};
  const optional = spec.presence === 'optional';
  const targets: LocationTarget[] = [];
  if (typeof spec.target === 'string') {
    targets.push({
      target: spec.target,
      position: source.positionOf(['spec', 'target']),
      optional,
    });
  }
  if (Array.isArray(spec.targets)) {
    spec.targets.forEach((target, index) => {
      if (typeof target === 'string') {
        targets.push({
          target,
          position: source.positionOf(['spec', 'targets', index]),
          optional,
        });
      }
    });
  }
  return targets;
}
