import {
  evaluateBackupStatus,
  DEFAULT_BACKUP_POLICY,
} from '@backup-assurance/plugin-backup-common';
const N = 10000;
const entities = Array.from({ length: N }, (_, i) => ({
  apiVersion: 'backstage.io/v1alpha1',
  kind: i % 10 >= 7 ? 'Resource' : 'Component',
  metadata: {
    name: `e-${i}`,
    annotations:
      i % 10 === 0
        ? {}
        : {
            'backup-assurance.io/method': 'pitr',
            'backup-assurance.io/data-classification': [
              'public',
              'internal',
              'confidential',
              'pii',
              'sensitive-pii',
            ][i % 5],
            'backup-assurance.io/owner': `group:default/t${i % 25}`,
            'backup-assurance.io/frequency': 'P1D',
            'backup-assurance.io/retention': 'P35D',
            'backup-assurance.io/encryption':
              i % 17 ? 'provider-managed' : 'none',
            'backup-assurance.io/locations': 'a, b',
            'backup-assurance.io/last-restore-test': new Date(
              Date.now() - (i % 300) * 86400000,
            )
              .toISOString()
              .slice(0, 10),
          },
  },
  spec: { type: 'service', lifecycle: 'production', owner: 't' },
}));
const now = new Date();
for (let r = 0; r < 6; r++) {
  const t = performance.now();
  for (const e of entities)
    evaluateBackupStatus(e as any, DEFAULT_BACKUP_POLICY, now);
  console.log(`evaluate ${N}: ${(performance.now() - t).toFixed(0)} ms`);
}
