import { ConfigReader } from '@backstage/config';
import { JsonValue } from '@backstage/types';
import { DEFAULT_BACKUP_POLICY, readBackupPolicy } from './policy';

const read = (policy: JsonValue) =>
  readBackupPolicy(new ConfigReader({ backup: { policy } }));

describe('readBackupPolicy', () => {
  it('returns the defaults when nothing is configured', () => {
    expect(readBackupPolicy(new ConfigReader({}))).toEqual(
      DEFAULT_BACKUP_POLICY,
    );
    expect(DEFAULT_BACKUP_POLICY.restoreTestInterval.pii).toEqual({ days: 90 });
    expect(DEFAULT_BACKUP_POLICY.restoreTestInterval.internal).toEqual({
      days: 180,
    });
  });

  it('reads every key', () => {
    expect(
      read({
        version: '2026.1',
        approvedBy: 'CTO',
        approvedAt: '2026-01-15',
        scope: [{ kind: 'Component', type: ['service', 'website'] }],
        requiredAnnotations: ['method', 'backup-assurance.io/owner'],
        restoreTestInterval: { default: 'P120D', pii: { days: 30 } },
        dueSoonWindow: 'P7D',
        encryptionRequiredFor: ['pii'],
        accessControlRequiredFor: ['sensitive-pii'],
        accessReviewInterval: 'P180D',
        failureAcknowledgeWithin: 'PT4H',
        exemptionApprovers: ['security-grc', 'Group:Risk/Change-Board'],
        maxExemption: 'P90D',
      }),
    ).toEqual({
      version: '2026.1',
      approvedBy: 'CTO',
      approvedAt: '2026-01-15',
      scope: [
        {
          kind: ['component'],
          type: ['service', 'website'],
          lifecycle: undefined,
        },
      ],
      requiredAnnotations: ['method', 'owner'],
      restoreTestInterval: {
        default: { days: 120 },
        public: { days: 120 },
        internal: { days: 120 },
        confidential: { days: 120 },
        pii: { days: 30 },
        'sensitive-pii': { days: 120 },
      },
      dueSoonWindow: { days: 7 },
      encryptionRequiredFor: ['pii'],
      accessControlRequiredFor: ['sensitive-pii'],
      accessReviewInterval: { days: 180 },
      failureAcknowledgeWithin: { hours: 4 },
      exemptionApprovers: [
        'group:default/security-grc',
        'group:risk/change-board',
      ],
      maxExemption: { days: 90 },
    });
  });

  it('honours no exemption by default: nobody may approve, for at most 180 days', () => {
    expect(DEFAULT_BACKUP_POLICY.exemptionApprovers).toEqual([]);
    expect(DEFAULT_BACKUP_POLICY.maxExemption).toEqual({ days: 180 });
  });

  it.each([
    [
      { requiredAnnotations: ['colour'] },
      'backup.policy.requiredAnnotations[0]',
    ],
    [
      { restoreTestInterval: { pii: 'ninety days' } },
      'backup.policy.restoreTestInterval.pii',
    ],
    [
      { restoreTestInterval: { secret: 'P1D' } },
      'backup.policy.restoreTestInterval.secret',
    ],
    [{ dueSoonWindow: 'soon' }, 'backup.policy.dueSoonWindow'],
    [
      { encryptionRequiredFor: ['PII'] },
      'backup.policy.encryptionRequiredFor[0]',
    ],
    [
      { accessControlRequiredFor: 'pii' },
      'backup.policy.accessControlRequiredFor',
    ],
    [
      { accessControlRequiredFor: ['secret'] },
      'backup.policy.accessControlRequiredFor[0]',
    ],
    [
      { accessReviewInterval: 'quarterly' },
      'backup.policy.accessReviewInterval',
    ],
    [
      { failureAcknowledgeWithin: 'tomorrow' },
      'backup.policy.failureAcknowledgeWithin',
    ],
    [{ scope: [{ type: 'service' }] }, 'backup.policy.scope[0].kind'],
    [{ scope: [{ kind: [] }] }, 'backup.policy.scope[0].kind'],
    [{ approvedAt: 'last spring' }, 'backup.policy.approvedAt'],
    [{ version: 3 }, 'backup.policy.version'],
    [
      { exemptionApprovers: ['group:default/grc', 'user:default/dana'] },
      'backup.policy.exemptionApprovers[1]',
    ],
    [
      { exemptionApprovers: ['group:default/'] },
      'backup.policy.exemptionApprovers[0]',
    ],
    [
      { exemptionApprovers: 'group:default/grc' },
      'backup.policy.exemptionApprovers',
    ],
    [{ maxExemption: 'half a year' }, 'backup.policy.maxExemption'],
  ])('rejects %j naming %s', (policy, key) => {
    expect(() => read(policy)).toThrow(
      `Invalid backup policy config at '${key}'`,
    );
  });
});
