import { Entity } from '@backstage/catalog-model';
import fc from 'fast-check';
import { BACKUP_ANNOTATIONS, BackupField } from './annotations';
import {
  BACKUP_FINDING_STATUS,
  BackupEvidenceSummary,
  BackupFinding,
  evaluateBackupStatus,
} from './evaluate';
import {
  ACCESS_REVIEW_OUTCOMES,
  BACKUP_RUN_OUTCOMES,
  RESTORE_TEST_RESULTS,
} from './evidence';
import { BACKUP_FINDING_SOURCES } from './findingSources';
import { DEFAULT_BACKUP_POLICY } from './policy';

/** Values that parse and values that do not, for every annotation. */
const SAMPLES: Record<BackupField, string[]> = {
  method: ['pitr', 'none', 'file, image', 'tape'],
  dataClassification: ['internal', 'confidential', 'pii', 'secret'],
  owner: ['group:default/payments', 'component:x'],
  lastRestoreTest: ['2020-01-01', '2026-11-01', '2031-01-01', 'yesterday'],
  restoreTestEvidence: ['https://t.example.com/1', 'ticket 1'],
  frequency: ['P1D', 'daily'],
  retention: ['P30D', 'PT0S'],
  rpo: ['PT1H', 'x'],
  rto: ['PT4H', 'x'],
  encryption: ['none', 'customer-managed', 'yes'],
  locations: ['eu-west-1', ' , '],
  provider: ['RDS'],
  exemption: ['retiring (CHG-1)'],
  exemptionExpires: ['2026-12-01', '2031-01-01', 'soon'],
  exemptionApprovedBy: ['group:default/grc', 'user:default/dana', 'x:y:z'],
  backupAdmins: ['group:default/admins', 'nobody!'],
  deletionProtection: ['none', 'immutable', 'maybe'],
  accessLogging: ['none', 'logged', 'perhaps'],
  lastAccessReview: ['2020-01-01', '2026-11-01', '2031-01-01', 'never'],
  accessReviewEvidence: ['https://t.example.com/2', 'n/a'],
};

const annotations = fc.record(
  Object.fromEntries(
    (Object.keys(SAMPLES) as BackupField[]).map(field => [
      BACKUP_ANNOTATIONS[field],
      fc.option(fc.oneof(fc.constantFrom(...SAMPLES[field]), fc.string()), {
        nil: undefined,
      }),
    ]),
  ),
  { requiredKeys: [] },
);

const entity = fc
  .record({
    kind: fc.constantFrom('Component', 'Resource', 'System'),
    annotations,
  })
  .map(
    ({ kind, annotations: values }): Entity => ({
      apiVersion: 'backstage.io/v1alpha1',
      kind,
      metadata: {
        name: 'x',
        annotations: Object.fromEntries(
          Object.entries(values).filter(([, v]) => v !== undefined),
        ) as Record<string, string>,
      },
      spec: { type: 'service', lifecycle: 'production' },
    }),
  );

const moment = fc.date({
  min: new Date('2024-01-01T00:00:00Z'),
  max: new Date('2032-01-01T00:00:00Z'),
  noInvalidDate: true,
});

/** Stored evidence from before `now`, as the backend's input rules demand. */
function evidenceBefore(now: Date): fc.Arbitrary<BackupEvidenceSummary> {
  const at = fc
    .date({ min: new Date('2020-01-01T00:00:00Z'), max: now })
    .filter(date => !Number.isNaN(date.getTime()))
    .map(date => date.toISOString());
  const result = fc.constantFrom(...RESTORE_TEST_RESULTS);
  const test = fc.record({
    id: fc.constant('t'),
    completedAt: at,
    result,
    restoreDurationSeconds: fc.nat(100_000),
  });
  const run = fc.record({
    id: fc.constant('r'),
    runAt: at,
    outcome: fc.constantFrom(...BACKUP_RUN_OUTCOMES),
  });
  return fc.record(
    {
      latestRestoreTest: test,
      lastSuccessfulRestoreTest: test.map(t => ({
        ...t,
        result: 'succeeded' as const,
      })),
      latestBackupRun: run,
      lastSuccessfulBackupRun: run,
      latestAccessReview: fc.record({
        id: fc.constant('a'),
        reviewedAt: at,
        outcome: fc.constantFrom(...ACCESS_REVIEW_OUTCOMES),
      }),
      latestFailedRestoreTest: fc.record({
        id: fc.constant('f'),
        completedAt: at,
        result: fc.constant('failed' as const),
        acknowledgedAt: fc.option(at, { nil: undefined }),
      }),
      latestFailedBackupRun: fc.record({
        id: fc.constant('g'),
        runAt: at,
        outcome: fc.constant('failed' as const),
      }),
    },
    { requiredKeys: [] },
  );
}

/** By code and annotation: a message may quote the evaluation time. */
const declared = (findings: BackupFinding[]) =>
  findings
    .filter(f => BACKUP_FINDING_SOURCES[f.code] === 'declaration')
    .map(f => `${f.code} ${f.annotation}`);

const declaredAt = (
  subject: Entity,
  now: Date,
  evidence: BackupEvidenceSummary = {},
) =>
  declared(
    evaluateBackupStatus(subject, DEFAULT_BACKUP_POLICY, now, evidence)
      .findings,
  );

describe('BACKUP_FINDING_SOURCES', () => {
  it('gives every finding code a source', () => {
    expect(Object.keys(BACKUP_FINDING_SOURCES).sort()).toEqual(
      Object.keys(BACKUP_FINDING_STATUS).sort(),
    );
  });

  it('declaration findings never appear as time passes, they only clear', () => {
    fc.assert(
      fc.property(entity, moment, moment, (subject, a, b) => {
        const [earlier, later] = a <= b ? [a, b] : [b, a];
        const before = declaredAt(subject, earlier);
        expect(
          declaredAt(subject, later).filter(f => !before.includes(f)),
        ).toEqual([]);
      }),
      { numRuns: 500 },
    );
  });

  it('declaration findings are the same whatever evidence is recorded', () => {
    const withEvidence = moment.chain(now =>
      fc.tuple(fc.constant(now), evidenceBefore(now)),
    );
    fc.assert(
      fc.property(entity, withEvidence, (subject, [now, evidence]) => {
        expect(declaredAt(subject, now, evidence)).toEqual(
          declaredAt(subject, now),
        );
      }),
      { numRuns: 500 },
    );
  });
});
