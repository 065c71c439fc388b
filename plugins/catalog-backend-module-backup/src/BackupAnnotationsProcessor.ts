import { LoggerService } from '@backstage/backend-plugin-api';
import { ENTITY_STATUS_CATALOG_PROCESSING_TYPE } from '@backstage/catalog-client';
import { Entity, stringifyEntityRef } from '@backstage/catalog-model';
import { AlphaEntity, EntityStatusItem } from '@backstage/catalog-model/alpha';
import { InputError, serializeError } from '@backstage/errors';
import { CatalogProcessor } from '@backstage/plugin-catalog-node';
import {
  BackupFieldError,
  BackupPolicy,
  evaluateBackupStatus,
  isInBackupScope,
  parseBackupProfile,
} from '@backup-assurance/plugin-backup-common';
import { MissingAnnotationsEnforcement } from './config';

function describe(error: BackupFieldError): string {
  return `Invalid annotation ${error.annotation}: "${error.value}" is not ${error.expected}`;
}

const statusItem = (
  level: 'error' | 'warning',
  message: string,
): EntityStatusItem => ({
  type: ENTITY_STATUS_CATALOG_PROCESSING_TYPE,
  level,
  message: `InputError: ${message}`,
  error: serializeError(new InputError(message)),
});

/**
 * Validates `backup-assurance.io/*` annotations with the shared parser and
 * attaches each malformed value to the entity as a catalog processing error,
 * which the entity page's processing-errors panel shows. With
 * `backup.enforcement.missingAnnotations` set, in-scope entities that lack a
 * required annotation get a status item too.
 *
 * The problems are written as status items rather than emitted as processing
 * failures on purpose: an emitted error stops the catalog from storing the
 * entity at all (or freezes its last good version), which would hide the very
 * entity whose annotation needs fixing.
 *
 * @public
 */
export class BackupAnnotationsProcessor implements CatalogProcessor {
  constructor(
    private readonly options: {
      logger?: LoggerService;
      /** Needed, with the policy, for missing-annotation status items. */
      missingAnnotations?: MissingAnnotationsEnforcement;
      policy?: BackupPolicy;
    } = {},
  ) {}

  getProcessorName(): string {
    return 'BackupAnnotationsProcessor';
  }

  async postProcessEntity(entity: AlphaEntity): Promise<Entity> {
    const items = [
      ...this.malformedValues(entity),
      ...this.missingAnnotations(entity),
    ];
    if (items.length === 0) {
      return entity;
    }
    return {
      ...entity,
      status: {
        ...entity.status,
        items: [...(entity.status?.items ?? []), ...items],
      },
    } as AlphaEntity;
  }

  private malformedValues(entity: Entity): EntityStatusItem[] {
    return parseBackupProfile(entity).errors.map(error => {
      const message = describe(error);
      this.options.logger?.warn(message, {
        entity: stringifyEntityRef(entity),
      });
      return statusItem('error', message);
    });
  }

  /** The policy's required annotations an in-scope entity lacks. */
  private missingAnnotations(entity: Entity): EntityStatusItem[] {
    const { missingAnnotations = 'off', policy } = this.options;
    if (missingAnnotations === 'off' || !policy) return [];
    if (!isInBackupScope(entity, policy)) return [];
    // no evidence and any date: only what the annotations themselves lack
    return evaluateBackupStatus(entity, policy, new Date())
      .findings.filter(finding => finding.code === 'annotation-missing')
      .map(finding => statusItem(missingAnnotations, finding.message));
  }
}
