import {
  AuthService,
  BackstageCredentials,
} from '@backstage/backend-plugin-api';
import { Entity } from '@backstage/catalog-model';
import { NotFoundError } from '@backstage/errors';
import { GetEntitiesRequest } from '@backstage/catalog-client';
import { CatalogService } from '@backstage/plugin-catalog-node';

/**
 * Reads entities for a caller. Users read through the catalog with their own
 * credentials, so the catalog's permission rules decide; an entity they
 * cannot see is reported exactly like one that does not exist. Machine
 * callers (static tokens and other services) are not subject to catalog
 * permissions, and a static token restricted to this plugin may not be
 * forwarded to the catalog, so the plugin reads on its own behalf for them.
 */
export class EntityReader {
  static create(options: { catalog: CatalogService; auth: AuthService }) {
    return new EntityReader(options.catalog, options.auth);
  }

  private constructor(
    private readonly catalog: CatalogService,
    private readonly auth: AuthService,
  ) {}

  /** The credentials to query the catalog with on behalf of a caller. */
  private async catalogCredentials(
    credentials: BackstageCredentials,
  ): Promise<BackstageCredentials> {
    return this.auth.isPrincipal(credentials, 'user')
      ? credentials
      : this.auth.getOwnServiceCredentials();
  }

  /** The plugin's own credentials, for work no caller asked for. */
  ownCredentials(): Promise<BackstageCredentials> {
    return this.auth.getOwnServiceCredentials();
  }

  /** Entities matching a catalog query, as the caller may see them. */
  async queryVisible(
    request: GetEntitiesRequest,
    credentials: BackstageCredentials,
  ): Promise<Entity[]> {
    const { items } = await this.catalog.getEntities(request, {
      credentials: await this.catalogCredentials(credentials),
    });
    return items;
  }

  /**
   * Entities by ref, in the order asked, with null for a ref that names no
   * entity or one the caller may not read. Refs are case-insensitive: they
   * are looked up as the catalog keys them, in lower case.
   */
  async readVisibleByRefs(
    entityRefs: string[],
    fields: string[],
    credentials: BackstageCredentials,
  ): Promise<Array<Entity | null>> {
    const { items } = await this.catalog.getEntitiesByRefs(
      {
        entityRefs: entityRefs.map(ref => ref.toLocaleLowerCase('en-US')),
        fields,
      },
      { credentials: await this.catalogCredentials(credentials) },
    );
    return items.map(item => item ?? null);
  }

  async readVisible(
    entityRef: string,
    credentials: BackstageCredentials,
  ): Promise<Entity> {
    const entity = await this.catalog.getEntityByRef(entityRef, {
      credentials: await this.catalogCredentials(credentials),
    });
    if (!entity) {
      throw new NotFoundError(`No entity ${entityRef} found`);
    }
    return entity;
  }
}
