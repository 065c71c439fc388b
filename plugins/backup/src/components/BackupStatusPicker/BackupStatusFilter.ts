import { Entity, stringifyEntityRef } from '@backstage/catalog-model';
import { EntityFilter } from '@backstage/plugin-catalog-react';
import {
  BACKUP_STATUS_PRECEDENCE,
  BackupStatus,
} from '@backup-assurance/plugin-backup-common';

/** The statuses in the order the picker offers them: best first. */
export const PICKABLE_BACKUP_STATUSES: readonly BackupStatus[] = [
  ...BACKUP_STATUS_PRECEDENCE,
].reverse();

/**
 * The statuses named by the `backupStatus` URL query value (a string or a
 * list of them, as the catalog's query parser gives it); anything else is
 * dropped.
 */
export function backupStatusesOfQuery(value: unknown): BackupStatus[] {
  const values = [value].flat();
  return PICKABLE_BACKUP_STATUSES.filter(status => values.includes(status));
}

/**
 * Keeps the catalog entities whose backup status is one of `values`. Applied
 * in the browser (the catalog does not know backup statuses) with the
 * statuses the picker fetched for the listed entities, by entity ref.
 *
 * @public
 */
export class BackupStatusFilter implements EntityFilter {
  constructor(
    readonly values: BackupStatus[],
    private readonly statusOf: ReadonlyMap<string, BackupStatus>,
  ) {}

  filterEntity(entity: Entity): boolean {
    const status = this.statusOf.get(stringifyEntityRef(entity));
    return status !== undefined && this.values.includes(status);
  }

  toQueryValue(): string[] {
    return this.values;
  }
}
