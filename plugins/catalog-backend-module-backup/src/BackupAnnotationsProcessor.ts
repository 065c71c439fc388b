import { LoggerService } from '@backstage/backend-plugin-api';
import { ENTITY_STATUS_CATALOG_PROCESSING_TYPE } from '@backstage/catalog-client';
import { Entity, stringifyEntityRef } from '@backstage/catalog-model';
import { AlphaEntity, EntityStatusItem } from '@backstage/catalog-model/alpha';
import { InputError, serializeError } from '@backstage/errors';
import { CatalogProcessor } from '@backstage/plugin-catalog-node';
import {
  BackupFieldError,
  parseBackupProfile,
} from '@backup-assurance/plugin-backup-common';

function describe(error: BackupFieldError): string {
  return `Invalid annotation ${error.annotation}: "${error.value}" is not ${error.expected}`;
}

/**
 * Validates `backup-assurance.io/*` annotations with the shared parser and
 * attaches each malformed value to the entity as a catalog processing error,
 * which the entity page's processing-errors panel shows.
 *
 * The errors are written as status items rather than emitted as processing
 * failures on purpose: an emitted error stops the catalog from storing the
 * entity at all (or freezes its last good version), which would hide the very
 * entity whose annotation needs fixing. Missing annotations are the policy's
 * business, not the catalog's: they are never reported here.
 *
 * @public
 */
export class BackupAnnotationsProcessor implements CatalogProcessor {
  constructor(private readonly options: { logger?: LoggerService } = {}) {}

  getProcessorName(): string {
    return 'BackupAnnotationsProcessor';
  }

  async postProcessEntity(entity: AlphaEntity): Promise<Entity> {
    const errors = parseBackupProfile(entity).errors;
    if (errors.length === 0) {
      return entity;
    }
    const items = errors.map((error): EntityStatusItem => {
      const message = describe(error);
      this.options.logger?.warn(message, {
        entity: stringifyEntityRef(entity),
      });
      return {
        type: ENTITY_STATUS_CATALOG_PROCESSING_TYPE,
        level: 'error',
        message: `InputError: ${message}`,
        error: serializeError(new InputError(message)),
      };
    });
    return {
      ...entity,
      status: {
        ...entity.status,
        items: [...(entity.status?.items ?? []), ...items],
      },
    } as AlphaEntity;
  }
}
