import {
  complete,
  component,
  NOW,
  withoutKeys,
} from './__testUtils__/evaluationFixtures';
import {
  BACKUP_FINDING_STATUS,
  BackupEvidenceSummary,
  BackupFindingCode,
  evaluateBackupStatus,
} from './evaluate';
import { DEFAULT_BACKUP_POLICY } from './policy';

/** The finding codes that make an entity non-compliant. */
type ViolationCode = {
  [Code in BackupFindingCode]: (typeof BACKUP_FINDING_STATUS)[Code] extends 'non-compliant'
    ? Code
    : never;
}[BackupFindingCode];

interface Breach {
  /** Annotations that replace (or, when undefined, remove) the complete ones. */
  annotations?: Record<string, string | undefined>;
  evidence?: BackupEvidenceSummary;
}

const failedRun = {
  id: 'br-f',
  runAt: '2026-11-22T12:00:00.000Z',
  outcome: 'failed' as const,
};
const run = (runAt: string) => ({
  id: runAt,
  runAt,
  outcome: 'succeeded' as const,
});
const slowRestore = {
  id: 'rt-slow',
  completedAt: '2026-11-01T10:00:00.000Z',
  result: 'succeeded' as const,
  restoreDurationSeconds: 5 * 3600,
};

/**
 * One way to commit each violation. Typed by the codes, so a new kind of
 * violation does not compile until it has a case here.
 */
const BREACHES: Record<ViolationCode, Breach> = {
  'backup-method-none': {
    annotations: { 'backup-assurance.io/method': 'none' },
  },
  'encryption-required': {
    annotations: { 'backup-assurance.io/encryption': 'none' },
  },
  'restore-test-failed': {
    evidence: {
      latestRestoreTest: {
        id: 'rt-f',
        completedAt: '2026-11-10T10:00:00.000Z',
        result: 'failed',
        restoreDurationSeconds: 60,
      },
    },
  },
  'backup-run-failed': {
    evidence: {
      latestBackupRun: { ...failedRun, runAt: '2026-11-23T02:00:00.000Z' },
      lastSuccessfulBackupRun: run('2026-11-22T02:00:00.000Z'),
    },
  },
  'backup-run-missing': {
    evidence: {
      latestBackupRun: run('2026-11-21T11:00:00.000Z'),
      lastSuccessfulBackupRun: run('2026-11-21T11:00:00.000Z'),
    },
  },
  'rto-exceeded': {
    annotations: { 'backup-assurance.io/rto': 'PT4H' },
    evidence: {
      latestRestoreTest: slowRestore,
      lastSuccessfulRestoreTest: slowRestore,
    },
  },
  'deletion-protection-required': {
    annotations: { 'backup-assurance.io/deletion-protection': 'none' },
  },
  'access-logging-required': {
    annotations: { 'backup-assurance.io/access-logging': 'none' },
  },
  'access-review-missing': {
    annotations: {
      'backup-assurance.io/last-access-review': undefined,
      'backup-assurance.io/access-review-evidence': undefined,
    },
  },
  'access-review-overdue': {
    annotations: { 'backup-assurance.io/last-access-review': '2026-08-20' },
  },
  'failure-unacknowledged': {
    evidence: { latestFailedBackupRun: failedRun },
  },
};

/** Applies a breach to annotations, removing those it sets to undefined. */
function breached(
  annotations: Record<string, string>,
  breach: Breach,
): Record<string, string> {
  const result = { ...annotations };
  for (const [key, value] of Object.entries(breach.annotations ?? {})) {
    if (value === undefined) delete result[key];
    else result[key] = value;
  }
  return result;
}

const evaluateBreach = (annotations: Record<string, string>, breach: Breach) =>
  evaluateBackupStatus(
    component(breached(annotations, breach)),
    DEFAULT_BACKUP_POLICY,
    NOW,
    breach.evidence,
  );

describe('a confirmed violation outranks missing data', () => {
  it('has a case for every finding that makes an entity non-compliant', () => {
    const violations = Object.entries(BACKUP_FINDING_STATUS)
      .filter(([, status]) => status === 'non-compliant')
      .map(([code]) => code);
    expect(Object.keys(BREACHES).sort()).toEqual(violations.sort());
  });

  it.each(Object.entries(BREACHES))(
    '%s with a required annotation missing is non-compliant, and lists both',
    (code, breach) => {
      const alone = evaluateBreach(complete, breach);
      expect(alone.status).toBe('non-compliant');
      expect(alone.findings.map(f => f.code)).toContain(code);

      const result = evaluateBreach(
        withoutKeys('backup-assurance.io/retention'),
        breach,
      );
      expect(result.status).toBe('non-compliant');
      expect(result.findings.map(f => f.code)).toContain(code);
      expect(result.findings).toContainEqual(
        expect.objectContaining({
          code: 'annotation-missing',
          annotation: 'backup-assurance.io/retention',
        }),
      );
    },
  );

  it.each([
    ['annotation-missing', 'backup-assurance.io/owner'],
    ['encryption-undeclared', 'backup-assurance.io/encryption'],
    ['access-control-undeclared', 'backup-assurance.io/backup-admins'],
  ])('outranks %s as well, still listing it', (gap, annotation) => {
    const result = evaluateBreach(withoutKeys(annotation), {
      evidence: BREACHES['backup-run-failed'].evidence,
    });
    expect(result.status).toBe('non-compliant');
    expect(result.findings.map(f => [f.code, f.annotation])).toEqual(
      expect.arrayContaining([
        [gap, annotation],
        ['backup-run-failed', undefined],
      ]),
    );
  });

  it('is still incomplete when nothing is broken, only missing', () => {
    const result = evaluateBackupStatus(
      component(withoutKeys('backup-assurance.io/retention')),
      DEFAULT_BACKUP_POLICY,
      NOW,
    );
    expect(result.status).toBe('incomplete');
  });
});
