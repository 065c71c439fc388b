import {
  AuthService,
  BackstageCredentials,
} from '@backstage/backend-plugin-api';
import { Entity, stringifyEntityRef } from '@backstage/catalog-model';
import { NotFoundError } from '@backstage/errors';
import { GetEntitiesRequest } from '@backstage/catalog-client';
import { CatalogService } from '@backstage/plugin-catalog-node';

/**
 * How long an entity the plugin saw in the catalog counts as present for
 * machine callers: two runs of the evaluation warm-up, which lists every
 * evaluated entity once a minute, so one late run forgets nothing.
 */
export const SEEN_ENTITY_TTL_MS = 120_000;

/**
 * Entities the plugin read with its own credentials lately, by ref (which
 * the catalog spells in lower case and matches case-insensitively).
 */
class RecentlySeenEntities {
  private readonly seenAt = new Map<string, number>();

  constructor(private readonly now: () => number) {}

  remember(entities: Entity[]) {
    const now = this.now();
    for (const [ref, at] of this.seenAt) {
      if (now - at > SEEN_ENTITY_TTL_MS) this.seenAt.delete(ref);
    }
    for (const entity of entities) {
      this.seenAt.set(stringifyEntityRef(entity), now);
    }
  }

  /** The entity's ref as the catalog spells it, if seen lately. */
  find(entityRef: string): string | undefined {
    const ref = entityRef.toLocaleLowerCase('en-US');
    const at = this.seenAt.get(ref);
    return at !== undefined && this.now() - at <= SEEN_ENTITY_TTL_MS
      ? ref
      : undefined;
  }
}

/**
 * Reads entities for a caller. Users read through the catalog with their own
 * credentials, so the catalog's permission rules decide; an entity they
 * cannot see is reported exactly like one that does not exist. Machine
 * callers (static tokens and other services) are not subject to catalog
 * permissions, and a static token restricted to this plugin may not be
 * forwarded to the catalog, so the plugin reads on its own behalf for them.
 */
export class EntityReader {
  static create(options: {
    catalog: CatalogService;
    auth: AuthService;
    clock?: () => Date;
  }) {
    const clock = options.clock ?? (() => new Date());
    return new EntityReader(
      options.catalog,
      options.auth,
      new RecentlySeenEntities(() => clock().getTime()),
    );
  }

  private constructor(
    private readonly catalog: CatalogService,
    private readonly auth: AuthService,
    private readonly seen: RecentlySeenEntities,
  ) {}

  private isMachine(credentials: BackstageCredentials) {
    return !this.auth.isPrincipal(credentials, 'user');
  }

  /** The credentials to query the catalog with on behalf of a caller. */
  private async catalogCredentials(
    credentials: BackstageCredentials,
  ): Promise<BackstageCredentials> {
    return this.isMachine(credentials)
      ? this.auth.getOwnServiceCredentials()
      : credentials;
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
    if (this.isMachine(credentials)) this.seen.remember(items);
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
    if (this.isMachine(credentials)) this.seen.remember([entity]);
    return entity;
  }

  /**
   * The entity's ref as the catalog spells it, if the caller may see it.
   * For machine callers, who see every entity, an entity the plugin saw in
   * the catalog within SEEN_ENTITY_TTL_MS needs no catalog round trip: a
   * collector posting many records then costs one catalog read, not one per
   * record. Users are always checked by the catalog, which applies their
   * permissions.
   */
  async visibleRef(
    entityRef: string,
    credentials: BackstageCredentials,
  ): Promise<string> {
    const seen = this.isMachine(credentials) && this.seen.find(entityRef);
    return (
      seen || stringifyEntityRef(await this.readVisible(entityRef, credentials))
    );
  }
}
