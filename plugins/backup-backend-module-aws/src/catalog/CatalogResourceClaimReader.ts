import { AuthService } from '@backstage/backend-plugin-api';
import { CATALOG_FILTER_EXISTS } from '@backstage/catalog-client';
import { Entity, stringifyEntityRef } from '@backstage/catalog-model';
import { CatalogService } from '@backstage/plugin-catalog-node';
import { AWS_BACKUP_RESOURCE_ARN_ANNOTATION } from '@backup-assurance/plugin-backup-common';
import {
  ResourceClaimReader,
  ResourceClaims,
  ResourceClaimsRead,
} from './ResourceClaims';

// arn:partition:service:region:account:resource (region and account may be empty)
const ARN = /^arn:[a-z-]+:[a-z0-9-]+:[a-z0-9-]*:\d{0,12}:\S+$/;

/** Splits the annotation's comma list into ARNs and entries that are not. */
export function parseResourceArns(value: string): {
  arns: string[];
  malformed: string[];
} {
  const entries = value
    .split(',')
    .map(entry => entry.trim())
    .filter(Boolean);
  return {
    arns: entries.filter(entry => ARN.test(entry)),
    malformed: entries.filter(entry => !ARN.test(entry)),
  };
}

/**
 * Reads the claims from the catalog as the backup plugin itself, so that
 * every annotated entity counts whatever the permission policy lets users see.
 */
export class CatalogResourceClaimReader implements ResourceClaimReader {
  static create(options: {
    catalog: CatalogService;
    auth: AuthService;
  }): CatalogResourceClaimReader {
    return new CatalogResourceClaimReader(options.catalog, options.auth);
  }

  private constructor(
    private readonly catalog: CatalogService,
    private readonly auth: AuthService,
  ) {}

  async read(): Promise<ResourceClaimsRead> {
    const entries: Array<{ entityRef: string; resourceArns: string[] }> = [];
    const malformed: string[] = [];
    for await (const page of this.annotatedEntities()) {
      for (const entity of page) {
        const entityRef = stringifyEntityRef(entity);
        const value =
          entity.metadata.annotations?.[AWS_BACKUP_RESOURCE_ARN_ANNOTATION];
        const parsed = parseResourceArns(value ?? '');
        entries.push({ entityRef, resourceArns: parsed.arns });
        malformed.push(...parsed.malformed.map(m => `${entityRef}: ${m}`));
      }
    }
    return { claims: ResourceClaims.fromEntries(entries), malformed };
  }

  private async *annotatedEntities(): AsyncIterable<Entity[]> {
    const credentials = await this.auth.getOwnServiceCredentials();
    yield* this.catalog.streamEntities(
      {
        filter: {
          [`metadata.annotations.${AWS_BACKUP_RESOURCE_ARN_ANNOTATION}`]:
            CATALOG_FILTER_EXISTS,
        },
        // the annotation key holds dots, so the field path stops above it
        fields: [
          'kind',
          'metadata.namespace',
          'metadata.name',
          'metadata.annotations',
        ],
      },
      { credentials },
    );
  }
}
