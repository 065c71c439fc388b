import { mockCredentials, mockServices } from '@backstage/backend-test-utils';
import { Entity } from '@backstage/catalog-model';
import { NotFoundError } from '@backstage/errors';
import { catalogServiceMock } from '@backstage/plugin-catalog-node/testUtils';
import { EntityReader, SEEN_ENTITY_TTL_MS } from './entityAccess';

const component = (name: string): Entity => ({
  apiVersion: 'backstage.io/v1alpha1',
  kind: 'Component',
  metadata: { name, namespace: 'default', uid: `uid-${name}` },
  spec: { type: 'service', lifecycle: 'production', owner: 'team-a' },
});

function readerOf(entities: Entity[]) {
  const catalog = catalogServiceMock({ entities });
  const readsByRef = jest.spyOn(catalog, 'getEntityByRef');
  let now = new Date('2026-12-07T10:00:00Z');
  const reader = EntityReader.create({
    catalog,
    auth: mockServices.auth(),
    clock: () => now,
  });
  const advance = (ms: number) => {
    now = new Date(now.getTime() + ms);
  };
  return { catalog, reader, readsByRef, advance };
}

const collector = mockCredentials.service('external:collector');
const listAll = (reader: EntityReader) =>
  reader.queryVisible({ filter: { kind: 'component' } }, collector);

describe('EntityReader.visibleRef', () => {
  it('answers machine callers from the entities the plugin listed lately, without a catalog read', async () => {
    const { reader, readsByRef } = readerOf([component('Payments-API')]);
    await listAll(reader);
    // refs are case-insensitive; the answer is spelt as the catalog does
    await expect(
      reader.visibleRef('Component:default/Payments-Api', collector),
    ).resolves.toBe('component:default/payments-api');
    expect(readsByRef).not.toHaveBeenCalled();
  });

  it('reads the catalog once for an entity not seen, then remembers it', async () => {
    const { reader, readsByRef } = readerOf([component('a')]);
    for (let i = 0; i < 3; i++) {
      await expect(
        reader.visibleRef('component:default/a', collector),
      ).resolves.toBe('component:default/a');
    }
    expect(readsByRef).toHaveBeenCalledTimes(1);
    await expect(
      reader.visibleRef('component:default/missing', collector),
    ).rejects.toThrow(NotFoundError);
  });

  it('asks the catalog again once the entity was not seen for the window, and then finds it gone', async () => {
    const { catalog, reader, readsByRef, advance } = readerOf([component('a')]);
    await listAll(reader);
    await catalog.removeEntityByUid('uid-a');
    advance(SEEN_ENTITY_TTL_MS);
    await expect(
      reader.visibleRef('component:default/a', collector),
    ).resolves.toBe('component:default/a');
    advance(1);
    await expect(
      reader.visibleRef('component:default/a', collector),
    ).rejects.toThrow(NotFoundError);
    expect(readsByRef).toHaveBeenCalledTimes(1);
  });

  it('always lets the catalog decide for users, whatever the plugin saw', async () => {
    const { reader, readsByRef } = readerOf([component('a')]);
    await listAll(reader);
    const alice = mockCredentials.user('user:default/alice');
    await expect(reader.visibleRef('component:default/a', alice)).resolves.toBe(
      'component:default/a',
    );
    expect(readsByRef).toHaveBeenCalledWith('component:default/a', {
      credentials: alice,
    });
  });
});
