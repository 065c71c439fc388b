import { Entity } from '@backstage/catalog-model';
import { AlphaEntity } from '@backstage/catalog-model/alpha';
import { BackupAnnotationsProcessor } from './BackupAnnotationsProcessor';

function entity(annotations: Record<string, string>): Entity {
  return {
    apiVersion: 'backstage.io/v1alpha1',
    kind: 'Component',
    metadata: { name: 'svc', annotations },
    spec: { type: 'service', lifecycle: 'production', owner: 'team' },
  };
}

const process = async (
  annotations: Record<string, string>,
): Promise<AlphaEntity> =>
  new BackupAnnotationsProcessor().postProcessEntity(entity(annotations));

describe('BackupAnnotationsProcessor', () => {
  it('attaches each malformed annotation as a processing error naming it', async () => {
    const result = await process({
      'backup-assurance.io/frequency': 'daily',
      'backup-assurance.io/data-classification': 'secret',
    });
    expect(result.status?.items).toEqual([
      {
        type: 'backstage.io/catalog-processing',
        level: 'error',
        message:
          'InputError: Invalid annotation backup-assurance.io/data-classification: "secret" is not one of: public, internal, confidential, pii, sensitive-pii',
        error: expect.objectContaining({
          name: 'InputError',
          message:
            'Invalid annotation backup-assurance.io/data-classification: "secret" is not one of: public, internal, confidential, pii, sensitive-pii',
        }),
      },
      expect.objectContaining({
        message: expect.stringContaining(
          'Invalid annotation backup-assurance.io/frequency: "daily" is not a positive ISO 8601 duration',
        ),
      }),
    ]);
  });

  it('leaves valid annotations untouched', async () => {
    const input = entity({ 'backup-assurance.io/frequency': 'P1D' });
    expect(
      await new BackupAnnotationsProcessor().postProcessEntity(input),
    ).toBe(input);
  });

  it('never reports an entity for merely missing annotations', async () => {
    expect((await process({})).status).toBeUndefined();
  });
});
