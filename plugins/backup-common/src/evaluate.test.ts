import { Entity } from '@backstage/catalog-model';
import {
  complete,
  component,
  NOW,
  withoutKeys,
} from './__testUtils__/evaluationFixtures';
import { evaluateBackupStatus } from './evaluate';
import { DEFAULT_BACKUP_POLICY } from './policy';

const policy = DEFAULT_BACKUP_POLICY;

const evaluate = (
  annotations: Record<string, string>,
  spec?: Record<string, string>,
) => evaluateBackupStatus(component(annotations, spec), policy, NOW);

const codes = (annotations: Record<string, string>) =>
  evaluate(annotations).findings.map(f => f.code);

describe('evaluateBackupStatus', () => {
  it('is compliant with every rule met, and says when the next test is due', () => {
    const result = evaluate(complete);
    expect(result).toEqual({
      entityRef: 'component:default/payments-api',
      status: 'compliant',
      // 2026-10-01 + 90 days for pii
      nextRestoreTestDue: '2026-12-30T00:00:00.000Z',
      lastRestoreTest: '2026-10-01T00:00:00.000Z',
      lastRestoreTestSource: 'annotation',
      lastAccessReview: '2026-10-15T00:00:00.000Z',
      lastAccessReviewSource: 'annotation',
      // 2026-10-15 + 90 days
      nextAccessReviewDue: '2027-01-13T00:00:00.000Z',
      findings: [],
      profile: expect.objectContaining({ dataClassification: 'pii' }),
      policyVersion: 'unversioned',
      evaluatedAt: '2026-11-23T12:00:00.000Z',
    });
  });

  it('uses the longer default interval for internal data', () => {
    const result = evaluate({
      ...complete,
      'backup-assurance.io/data-classification': 'internal',
      'backup-assurance.io/last-restore-test': '2026-06-20',
    });
    expect(result.status).toBe('compliant');
    expect(result.nextRestoreTestDue).toBe('2026-12-17T00:00:00.000Z');
  });

  it('is due soon inside the 14-day window', () => {
    // due 2026-12-07, 14 days from 2026-11-23
    const result = evaluate({
      ...complete,
      'backup-assurance.io/last-restore-test': '2026-09-08',
    });
    expect(result.status).toBe('due-soon');
    expect(result.findings).toEqual([
      expect.objectContaining({
        code: 'restore-test-due-soon',
        severity: 'warning',
        message: 'The next restore test is due on 2026-12-07.',
        annotation: 'backup-assurance.io/last-restore-test',
      }),
    ]);
  });

  it('is compliant one day before the due-soon window opens', () => {
    expect(
      evaluate({
        ...complete,
        'backup-assurance.io/last-restore-test': '2026-09-09T12:00:01Z',
      }).status,
    ).toBe('compliant');
  });

  it('is overdue at the exact due instant', () => {
    // 2026-08-25T12:00Z + 90 days = 2026-11-23T12:00Z = now
    const result = evaluate({
      ...complete,
      'backup-assurance.io/last-restore-test': '2026-08-25T12:00:00Z',
    });
    expect(result.status).toBe('overdue');
    expect(result.nextRestoreTestDue).toBe('2026-11-23T12:00:00.000Z');
    expect(result.findings[0].message).toContain('due on 2026-11-23');
  });

  it('compares instants, not local dates, across time zones', () => {
    // 2026-08-26T01:00+14:00 is 2026-08-25T11:00Z: due one hour before now
    expect(
      evaluate({
        ...complete,
        'backup-assurance.io/last-restore-test': '2026-08-26T01:00:00+14:00',
      }).status,
    ).toBe('overdue');
    // 2026-08-25T08:00-05:00 is 13:00Z: due one hour after now
    expect(
      evaluate({
        ...complete,
        'backup-assurance.io/last-restore-test': '2026-08-25T08:00:00-05:00',
      }).status,
    ).toBe('due-soon');
  });

  it('is overdue when no restore test was ever recorded', () => {
    const { ['backup-assurance.io/last-restore-test']: _, ...rest } = complete;
    const result = evaluate(rest);
    expect(result.status).toBe('overdue');
    expect(result.nextRestoreTestDue).toBeNull();
    expect(result.findings.map(f => f.code)).toContain('restore-test-missing');
  });

  it('is invalid when the restore test is dated in the future', () => {
    const result = evaluate({
      ...complete,
      'backup-assurance.io/last-restore-test': '2026-11-24',
    });
    expect(result.status).toBe('invalid');
    expect(result.findings.map(f => f.code)).toEqual([
      'restore-test-in-future',
    ]);
  });

  it('warns, without changing the status, when evidence is missing', () => {
    const { ['backup-assurance.io/restore-test-evidence']: _, ...rest } =
      complete;
    const result = evaluate(rest);
    expect(result.status).toBe('compliant');
    expect(result.findings).toEqual([
      expect.objectContaining({
        code: 'restore-test-evidence-missing',
        severity: 'warning',
      }),
    ]);
  });

  it('is incomplete when a required annotation is missing, naming each', () => {
    const result = evaluate({
      'backup-assurance.io/method': 'snapshot',
      'backup-assurance.io/data-classification': 'internal',
      'backup-assurance.io/last-restore-test': '2026-11-01',
      'backup-assurance.io/restore-test-evidence': 'https://t.example.com/1',
    });
    expect(result.status).toBe('incomplete');
    expect(
      result.findings
        .filter(f => f.code === 'annotation-missing')
        .map(f => f.annotation),
    ).toEqual([
      'backup-assurance.io/owner',
      'backup-assurance.io/frequency',
      'backup-assurance.io/retention',
    ]);
  });

  it('is incomplete when PII backups do not declare encryption', () => {
    const { ['backup-assurance.io/encryption']: _, ...rest } = complete;
    expect(evaluate(rest).status).toBe('incomplete');
    expect(codes(rest)).toEqual(['encryption-undeclared']);
  });

  it('is non-compliant when PII backups are unencrypted', () => {
    const annotations = {
      ...complete,
      'backup-assurance.io/encryption': 'none',
    };
    const result = evaluate(annotations);
    expect(result.status).toBe('non-compliant');
    expect(result.findings).toEqual([
      {
        code: 'encryption-required',
        severity: 'error',
        message:
          'Backups of pii data must be encrypted like production, but encryption is "none".',
        annotation: 'backup-assurance.io/encryption',
      },
    ]);
  });

  it('allows unencrypted backups of public data', () => {
    expect(
      evaluate({
        ...complete,
        'backup-assurance.io/data-classification': 'public',
        'backup-assurance.io/encryption': 'none',
      }).status,
    ).toBe('compliant');
  });

  it('is non-compliant when an in-scope entity declares no backup', () => {
    const result = evaluate({
      ...complete,
      'backup-assurance.io/method': 'none',
    });
    expect(result.status).toBe('non-compliant');
    expect(result.nextRestoreTestDue).toBeNull();
    expect(result.findings.map(f => f.code)).toEqual(['backup-method-none']);
  });

  it('is invalid when a value does not parse, and says what was expected', () => {
    const result = evaluate({
      ...complete,
      'backup-assurance.io/frequency': 'daily',
    });
    expect(result.status).toBe('invalid');
    expect(result.findings).toEqual([
      {
        code: 'annotation-invalid',
        severity: 'error',
        message: expect.stringMatching(
          /^backup-assurance\.io\/frequency is "daily"; expected a positive ISO 8601 duration/,
        ),
        annotation: 'backup-assurance.io/frequency',
      },
    ]);
  });

  it('lets invalid win over exempt, incomplete and overdue', () => {
    const result = evaluateBackupStatus(
      component({
        'backup-assurance.io/method': 'tape',
        'backup-assurance.io/exemption': 'Being replaced',
        'backup-assurance.io/exemption-expires': '2027-01-01',
        'backup-assurance.io/exemption-approved-by': 'group:default/grc',
      }),
      { ...policy, exemptionApprovers: ['group:default/grc'] },
      NOW,
    );
    expect(result.status).toBe('invalid');
    expect(result.findings.map(f => f.code)).toEqual(
      expect.arrayContaining([
        'annotation-invalid',
        'annotation-missing',
        'restore-test-missing',
        'exemption-active',
      ]),
    );
  });

  it('is out of scope for non-production components, while still reporting bad values', () => {
    const result = evaluateBackupStatus(
      component(
        { 'backup-assurance.io/rto': 'soon' },
        { lifecycle: 'experimental' },
      ),
      policy,
      NOW,
    );
    expect(result.status).toBe('out-of-scope');
    expect(result.findings.map(f => f.code)).toEqual([
      'out-of-scope',
      'annotation-invalid',
    ]);
    expect(result.findings[0].message).toBe(
      'Not covered by backup policy unversioned (kind Component, type service, lifecycle experimental).',
    );
  });

  it('covers resources, which have no lifecycle, by default', () => {
    const resource: Entity = {
      apiVersion: 'backstage.io/v1alpha1',
      kind: 'Resource',
      metadata: { name: 'orders-db', annotations: complete },
      spec: { type: 'database', owner: 'x' },
    };
    expect(evaluateBackupStatus(resource, policy, NOW).status).toBe(
      'compliant',
    );
  });

  it('honours a custom policy: scope by type, intervals and required annotations', () => {
    const custom = {
      ...policy,
      version: '2026.1',
      scope: [{ kind: ['component'], type: ['service'] }],
      requiredAnnotations: ['method' as const],
      restoreTestInterval: {
        ...policy.restoreTestInterval,
        pii: { days: 30 },
      },
      accessControlRequiredFor: [],
    };
    const result = evaluateBackupStatus(
      component(
        {
          'backup-assurance.io/method': 'pitr',
          'backup-assurance.io/data-classification': 'pii',
          'backup-assurance.io/encryption': 'provider-managed',
          'backup-assurance.io/last-restore-test': '2026-10-01',
          'backup-assurance.io/restore-test-evidence': 'https://e.example.com',
        },
        { lifecycle: 'experimental' },
      ),
      custom,
      NOW,
    );
    expect(result.status).toBe('overdue');
    expect(result.nextRestoreTestDue).toBe('2026-10-31T00:00:00.000Z');
    expect(result.policyVersion).toBe('2026.1');
  });
});

describe('evaluateBackupStatus with stored evidence', () => {
  const { ['backup-assurance.io/last-restore-test']: _, ...noDate } = complete;
  const succeeded = (completedAt: string, restoreDurationSeconds = 3600) => ({
    id: `rt-${completedAt}`,
    completedAt,
    result: 'succeeded' as const,
    restoreDurationSeconds,
  });
  const withEvidence = (
    annotations: Record<string, string>,
    evidence: Parameters<typeof evaluateBackupStatus>[3],
  ) => evaluateBackupStatus(component(annotations), policy, NOW, evidence);

  it('uses a stored record newer than the annotation, and says so', () => {
    const test = succeeded('2026-11-01T10:00:00.000Z');
    const result = withEvidence(complete, {
      latestRestoreTest: test,
      lastSuccessfulRestoreTest: test,
    });
    expect(result).toMatchObject({
      status: 'compliant',
      lastRestoreTest: '2026-11-01T10:00:00.000Z',
      lastRestoreTestSource: 'record',
      lastRestoreTestRecordId: 'rt-2026-11-01T10:00:00.000Z',
      nextRestoreTestDue: '2027-01-30T10:00:00.000Z',
    });
  });

  it('keeps the annotation when it is newer than any record', () => {
    const test = succeeded('2026-03-01T00:00:00.000Z');
    const result = withEvidence(complete, {
      latestRestoreTest: test,
      lastSuccessfulRestoreTest: test,
    });
    expect(result.lastRestoreTestSource).toBe('annotation');
    expect(result.lastRestoreTest).toBe('2026-10-01T00:00:00.000Z');
  });

  it('needs no evidence link when the test comes from a record', () => {
    const { ['backup-assurance.io/restore-test-evidence']: _e, ...rest } =
      noDate;
    const test = succeeded('2026-11-01T10:00:00.000Z');
    expect(
      withEvidence(rest, {
        latestRestoreTest: test,
        lastSuccessfulRestoreTest: test,
      }).findings,
    ).toEqual([]);
  });

  it('is non-compliant when the latest restore test failed', () => {
    const result = withEvidence(complete, {
      latestRestoreTest: {
        id: 'rt-f',
        completedAt: '2026-11-10T10:00:00.000Z',
        result: 'failed',
        restoreDurationSeconds: 60,
      },
    });
    expect(result.status).toBe('non-compliant');
    expect(result.findings).toContainEqual(
      expect.objectContaining({
        code: 'restore-test-failed',
        message:
          'The latest restore test (2026-11-10) failed; fix the cause and test again.',
      }),
    );
  });

  it('ignores a failed test that a later successful one replaced', () => {
    const result = withEvidence(noDate, {
      latestRestoreTest: succeeded('2026-11-12T00:00:00.000Z'),
      lastSuccessfulRestoreTest: succeeded('2026-11-12T00:00:00.000Z'),
    });
    expect(result.status).toBe('compliant');
  });

  it('is non-compliant when the last restore took longer than the RTO', () => {
    const test = succeeded('2026-11-01T10:00:00.000Z', 5 * 3600 + 30 * 60);
    const result = withEvidence(
      { ...complete, 'backup-assurance.io/rto': 'PT4H' },
      { latestRestoreTest: test, lastSuccessfulRestoreTest: test },
    );
    expect(result.status).toBe('non-compliant');
    expect(result.findings).toContainEqual(
      expect.objectContaining({
        code: 'rto-exceeded',
        annotation: 'backup-assurance.io/rto',
        message:
          'The last restore took 5 hr, 30 min, longer than the declared recovery time objective of 4 hours.',
      }),
    );
  });

  it('is non-compliant when the most recent backup run failed', () => {
    const result = withEvidence(complete, {
      latestBackupRun: {
        id: 'br-2',
        runAt: '2026-11-23T02:00:00.000Z',
        outcome: 'failed',
      },
      lastSuccessfulBackupRun: {
        id: 'br-1',
        runAt: '2026-11-22T02:00:00.000Z',
        outcome: 'succeeded',
      },
    });
    expect(result.status).toBe('non-compliant');
    expect(result.findings.map(f => f.code)).toEqual(['backup-run-failed']);
  });

  it('flags no successful backup run within twice the declared frequency', () => {
    const run = (runAt: string) => ({
      id: runAt,
      runAt,
      outcome: 'succeeded' as const,
    });
    // frequency P1D: a success 47 hours ago is fine, 49 hours ago is not
    expect(
      withEvidence(complete, {
        latestBackupRun: run('2026-11-21T13:00:00.000Z'),
        lastSuccessfulBackupRun: run('2026-11-21T13:00:00.000Z'),
      }).status,
    ).toBe('compliant');
    const stale = withEvidence(complete, {
      latestBackupRun: run('2026-11-21T11:00:00.000Z'),
      lastSuccessfulBackupRun: run('2026-11-21T11:00:00.000Z'),
    });
    expect(stale.status).toBe('non-compliant');
    expect(stale.findings).toEqual([
      expect.objectContaining({
        code: 'backup-run-missing',
        message:
          'No successful backup run in the last 2 days (twice the declared frequency).',
      }),
    ]);
  });

  describe('follow-up of failures', () => {
    const failedRun = (runAt: string, followUp = {}) => ({
      latestFailedBackupRun: {
        id: 'br-f',
        runAt,
        outcome: 'failed' as const,
        ...followUp,
      },
    });
    const codesOf = (evidence: Parameters<typeof withEvidence>[1]) =>
      withEvidence(complete, evidence).findings.map(f => f.code);

    it('gives a failed run a day to be acknowledged', () => {
      expect(codesOf(failedRun('2026-11-22T12:00:01.000Z'))).toEqual([]);
      const late = withEvidence(
        complete,
        failedRun('2026-11-22T12:00:00.000Z'),
      );
      expect(late.status).toBe('non-compliant');
      expect(late.findings).toEqual([
        expect.objectContaining({
          code: 'failure-unacknowledged',
          message:
            'The backup run that failed on 2026-11-22 was not acknowledged within 1 day; acknowledge it with a ticket.',
        }),
      ]);
    });

    it('accepts an acknowledgement or a resolution', () => {
      const old = '2026-11-01T00:00:00.000Z';
      expect(
        codesOf(failedRun(old, { acknowledgedAt: '2026-11-01T01:00:00Z' })),
      ).toEqual([]);
      expect(
        codesOf(failedRun(old, { resolvedAt: '2026-11-02T00:00:00Z' })),
      ).toEqual([]);
    });

    it('holds failed or partial restore tests to the same window', () => {
      const partial = {
        latestFailedRestoreTest: {
          id: 'rt-p',
          completedAt: '2026-11-20T00:00:00.000Z',
          result: 'partial' as const,
        },
      };
      expect(codesOf(partial)).toEqual(['failure-unacknowledged']);
    });

    it('uses the policy window', () => {
      const result = evaluateBackupStatus(
        component(complete),
        { ...policy, failureAcknowledgeWithin: { days: 7 } },
        NOW,
        failedRun('2026-11-20T00:00:00.000Z'),
      );
      expect(result.status).toBe('compliant');
    });
  });

  describe('access control of PII backups', () => {
    it('requires who can delete, what protects, logging and a review', () => {
      const result = evaluate(
        withoutKeys(
          'backup-assurance.io/backup-admins',
          'backup-assurance.io/deletion-protection',
          'backup-assurance.io/access-logging',
          'backup-assurance.io/last-access-review',
        ),
      );
      // no review recorded is a violation; it outranks the undeclared rest
      expect(result.status).toBe('non-compliant');
      expect(
        result.findings.map(f => [f.code, f.annotation?.split('/')[1]]),
      ).toEqual([
        ['access-control-undeclared', 'backup-admins'],
        ['access-control-undeclared', 'deletion-protection'],
        ['access-control-undeclared', 'access-logging'],
        ['access-review-missing', 'last-access-review'],
      ]);
    });

    it('is non-compliant without deletion protection or access logs', () => {
      expect(
        codes({
          ...complete,
          'backup-assurance.io/deletion-protection': 'none',
          'backup-assurance.io/access-logging': 'none',
        }),
      ).toEqual(['deletion-protection-required', 'access-logging-required']);
      expect(
        evaluate({
          ...complete,
          'backup-assurance.io/deletion-protection': 'none',
        }).status,
      ).toBe('non-compliant');
    });

    it('holds the access review to the policy interval', () => {
      // 90 days after 2026-08-20 is 2026-11-18, before NOW
      const overdue = evaluate({
        ...complete,
        'backup-assurance.io/last-access-review': '2026-08-20',
      });
      expect(overdue.status).toBe('non-compliant');
      expect(overdue.findings).toEqual([
        expect.objectContaining({
          code: 'access-review-overdue',
          message:
            "The last access review (2026-08-20) is older than the policy's 90 days; it was due on 2026-11-18.",
        }),
      ]);
      // due 2026-12-01, inside the 14-day window
      expect(
        evaluate({
          ...complete,
          'backup-assurance.io/last-access-review': '2026-09-02',
        }).status,
      ).toBe('due-soon');
      expect(
        codes({
          ...complete,
          'backup-assurance.io/last-access-review': '2026-12-24',
        }),
      ).toEqual(['access-review-in-future']);
    });

    it('takes a stored review when it is newer than the annotation', () => {
      const result = evaluateBackupStatus(
        component({
          ...complete,
          'backup-assurance.io/last-access-review': '2026-06-01',
        }),
        policy,
        NOW,
        {
          latestAccessReview: {
            id: 'r1',
            reviewedAt: '2026-11-20T10:00:00.000Z',
            outcome: 'changed',
          },
        },
      );
      expect(result.status).toBe('compliant');
      expect(result.lastAccessReview).toBe('2026-11-20T10:00:00.000Z');
      expect(result.lastAccessReviewSource).toBe('record');
      expect(result.nextAccessReviewDue).toBe('2027-02-18T10:00:00.000Z');
    });

    it('asks for the review record, without changing the status', () => {
      const result = evaluate(
        withoutKeys('backup-assurance.io/access-review-evidence'),
      );
      expect(result.status).toBe('compliant');
      expect(result.findings.map(f => f.code)).toEqual([
        'access-review-evidence-missing',
      ]);
    });

    it('applies only to the classifications the policy names', () => {
      const internal = {
        ...withoutKeys(
          'backup-assurance.io/backup-admins',
          'backup-assurance.io/last-access-review',
        ),
        'backup-assurance.io/data-classification': 'internal',
      };
      expect(codes(internal)).toEqual([]);
      const strict = evaluateBackupStatus(
        component(internal),
        {
          ...policy,
          accessControlRequiredFor: ['internal'],
        },
        NOW,
      );
      expect(strict.findings.map(f => f.code)).toEqual([
        'access-control-undeclared',
        'access-review-missing',
      ]);
    });

    it('reports a malformed administrator list once, as invalid', () => {
      const result = evaluate({
        ...complete,
        'backup-assurance.io/backup-admins': 'group:default/ops, component:x',
      });
      expect(result.status).toBe('invalid');
      expect(result.findings.map(f => f.code)).toEqual(['annotation-invalid']);
    });
  });
});
