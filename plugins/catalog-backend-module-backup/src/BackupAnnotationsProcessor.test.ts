import { Entity } from '@backstage/catalog-model';
import { AlphaEntity } from '@backstage/catalog-model/alpha';
import { ConfigReader } from '@backstage/config';
import { DEFAULT_BACKUP_POLICY } from '@backup-assurance/plugin-backup-common';
import { BackupAnnotationsProcessor } from './BackupAnnotationsProcessor';
import { readMissingAnnotationsEnforcement } from './config';

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

  it('reports an exemption approver that is not a group or user', async () => {
    const result = await process({
      'backup-assurance.io/exemption-approved-by': 'component:default/svc',
    });
    expect(result.status?.items).toEqual([
      expect.objectContaining({
        message:
          'InputError: Invalid annotation backup-assurance.io/exemption-approved-by: "component:default/svc" is not an entity ref of a group or user, e.g. group:default/payments',
      }),
    ]);
  });

  it('leaves valid annotations untouched', async () => {
    const input = entity({
      'backup-assurance.io/frequency': 'P1D',
      'backup-assurance.io/exemption-approved-by': 'user:default/dana',
    });
    expect(
      await new BackupAnnotationsProcessor().postProcessEntity(input),
    ).toBe(input);
  });

  it('never reports an entity for merely missing annotations', async () => {
    expect((await process({})).status).toBeUndefined();
  });

  describe('with backup.enforcement.missingAnnotations', () => {
    const enforcing = (missingAnnotations: 'warning' | 'error') => ({
      postProcessEntity: async (input: Entity): Promise<AlphaEntity> =>
        new BackupAnnotationsProcessor({
          missingAnnotations,
          policy: DEFAULT_BACKUP_POLICY,
        }).postProcessEntity(input),
    });

    it('attaches each required annotation an in-scope entity lacks, keeping the entity', async () => {
      const input = entity({ 'backup-assurance.io/method': 'snapshot' });
      const result = await enforcing('warning').postProcessEntity(input);
      expect(result.metadata).toEqual(input.metadata);
      const items = result.status?.items ?? [];
      expect(items.length).toBeGreaterThan(0);
      expect(items).toContainEqual(
        expect.objectContaining({
          type: 'backstage.io/catalog-processing',
          level: 'warning',
          message: expect.stringContaining(
            'backup-assurance.io/data-classification',
          ),
        }),
      );
      expect(items.every(item => item.level === 'warning')).toBe(true);
      expect(
        items.some(item => item.message.includes('backup-assurance.io/method')),
      ).toBe(false);
    });

    it('reports at error level when asked, for the processing-errors panel', async () => {
      const result = await enforcing('error').postProcessEntity(entity({}));
      expect(result.status?.items?.[0]).toMatchObject({ level: 'error' });
    });

    it('leaves out-of-scope entities alone', async () => {
      const experimental = {
        ...entity({}),
        spec: { type: 'service', lifecycle: 'experimental', owner: 'team' },
      };
      const result = await enforcing('warning').postProcessEntity(experimental);
      expect(result.status).toBeUndefined();
    });

    it('is off by default, and names the key of an unknown value', () => {
      expect(readMissingAnnotationsEnforcement(new ConfigReader({}))).toBe(
        'off',
      );
      expect(
        readMissingAnnotationsEnforcement(
          new ConfigReader({
            backup: { enforcement: { missingAnnotations: 'warn' } },
          }),
        ),
      ).toBe('warning');
      expect(() =>
        readMissingAnnotationsEnforcement(
          new ConfigReader({
            backup: { enforcement: { missingAnnotations: 'loud' } },
          }),
        ),
      ).toThrow(
        'Invalid config backup.enforcement.missingAnnotations: "loud" is not one of off, warn, error',
      );
    });
  });
});
