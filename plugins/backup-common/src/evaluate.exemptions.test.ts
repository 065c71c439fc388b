import fc from 'fast-check';
import { complete, component, NOW } from './__testUtils__/evaluationFixtures';
import { BackupEvaluationContext, evaluateBackupStatus } from './evaluate';
import { BackupPolicy, DEFAULT_BACKUP_POLICY } from './policy';

const GRC = 'group:default/security-grc';

/** Members of security-grc approve exemptions, for at most 180 days. */
const policy: BackupPolicy = {
  ...DEFAULT_BACKUP_POLICY,
  exemptionApprovers: [GRC],
  maxExemption: { days: 180 },
};

const memberships: BackupEvaluationContext = {
  approverMemberOf: {
    'user:default/dana': ['group:default/engineering', GRC],
    'user:default/bob': ['group:default/identity'],
  },
};

/** Declares no backup at all: non-compliant unless the exemption holds. */
const exempted = (exemption: Record<string, string>) => ({
  ...complete,
  'backup-assurance.io/method': 'none',
  'backup-assurance.io/exemption': 'Decommissioned on 2026-12-15',
  'backup-assurance.io/exemption-expires': '2026-12-31',
  ...exemption,
});

const evaluate = (
  exemption: Record<string, string>,
  options: { policy?: BackupPolicy; context?: BackupEvaluationContext } = {},
) =>
  evaluateBackupStatus(
    component(exempted(exemption)),
    options.policy ?? policy,
    NOW,
    {},
    options.context ?? memberships,
  );

const approvedBy = (ref: string) => ({
  'backup-assurance.io/exemption-approved-by': ref,
});

const codes = (result: ReturnType<typeof evaluate>) =>
  result.findings.map(f => f.code);

describe('exemptions that someone approved', () => {
  it('honours an exemption approved by one of the approver groups', () => {
    const result = evaluate(approvedBy(GRC));
    expect(result.status).toBe('exempt');
    expect(result.profile.exemptionApprovedBy).toBe(GRC);
    expect(result.findings).toContainEqual({
      code: 'exemption-active',
      severity: 'info',
      message:
        'Exempt until 2026-12-31, approved by group:default/security-grc: Decommissioned on 2026-12-15',
      annotation: 'backup-assurance.io/exemption',
    });
  });

  it('reads a ref without kind as a group in the entity namespace', () => {
    expect(evaluate(approvedBy('security-grc')).status).toBe('exempt');
  });

  it('honours an exemption approved by a member of an approver group', () => {
    const result = evaluate(approvedBy('user:default/dana'));
    expect(result.status).toBe('exempt');
    expect(codes(result)).toContain('exemption-active');
  });

  it('does not honour an exemption that names no approver, and says why', () => {
    const result = evaluate({});
    expect(result.status).toBe('non-compliant');
    expect(result.findings).toContainEqual({
      code: 'exemption-approver-missing',
      severity: 'warning',
      message:
        'The exemption names no approver, so it is not honoured; it must be approved by one of group:default/security-grc or one of their members.',
      annotation: 'backup-assurance.io/exemption-approved-by',
    });
    expect(codes(result)).not.toContain('exemption-active');
  });

  it.each([
    ['a user outside the approver groups', 'user:default/bob', memberships],
    ['a user whose groups were not looked up', 'user:default/dana', {}],
    [
      'a group that is not an approver group',
      'group:default/identity',
      memberships,
    ],
  ])(
    'does not honour an exemption approved by %s',
    (_who, approver, context) => {
      const result = evaluate(approvedBy(approver), { context });
      expect(result.status).toBe('non-compliant');
      expect(result.findings).toContainEqual({
        code: 'exemption-approver-not-allowed',
        severity: 'warning',
        message: `The exemption is approved by ${approver}, who may not approve exemptions, so it is not honoured; it must be approved by one of group:default/security-grc or one of their members.`,
        annotation: 'backup-assurance.io/exemption-approved-by',
      });
    },
  );

  it('honours no exemption while the policy names no approvers', () => {
    const result = evaluate(approvedBy(GRC), {
      policy: DEFAULT_BACKUP_POLICY,
    });
    expect(result.status).toBe('non-compliant');
    expect(result.findings).toContainEqual(
      expect.objectContaining({
        code: 'exemption-approver-not-allowed',
        message: expect.stringContaining(
          'the policy names no exemption approvers yet (backup.policy.exemptionApprovers)',
        ),
      }),
    );
  });

  it('does not honour an exemption running longer than the policy allows', () => {
    // NOW + 180 days is 2027-05-22T12:00Z
    const result = evaluate({
      ...approvedBy(GRC),
      'backup-assurance.io/exemption-expires': '2027-05-23',
    });
    expect(result.status).toBe('non-compliant');
    expect(result.findings).toContainEqual({
      code: 'exemption-too-long',
      severity: 'warning',
      message:
        "The exemption runs until 2027-05-23, longer than the policy's maximum of 180 days, so it is not honoured; end it by 2027-05-22 and renew it if still needed.",
      annotation: 'backup-assurance.io/exemption-expires',
    });
  });

  it('honours an exemption that ends exactly at the maximum', () => {
    const result = evaluate({
      ...approvedBy(GRC),
      'backup-assurance.io/exemption-expires': '2027-05-22T12:00:00Z',
    });
    expect(result.status).toBe('exempt');
  });

  it('gives every reason an exemption is not honoured', () => {
    const result = evaluate({
      'backup-assurance.io/exemption-expires': '2028-01-01',
    });
    expect(codes(result)).toEqual([
      'backup-method-none',
      'exemption-approver-missing',
      'exemption-too-long',
    ]);
  });

  it('judges the entity normally when the exemption is not honoured', () => {
    const withoutExemption = evaluateBackupStatus(
      component({ ...complete, 'backup-assurance.io/encryption': 'none' }),
      policy,
      NOW,
    );
    const refused = evaluate({
      'backup-assurance.io/method': 'pitr',
      'backup-assurance.io/encryption': 'none',
      ...approvedBy('user:default/bob'),
    });
    expect(refused.status).toBe(withoutExemption.status);
    expect(refused.nextRestoreTestDue).toBe(
      withoutExemption.nextRestoreTestDue,
    );
  });

  it('reports a malformed approver as invalid, once', () => {
    const result = evaluate(approvedBy('component:default/payments-api'));
    expect(result.status).toBe('invalid');
    expect(
      result.findings.filter(f =>
        f.annotation?.endsWith('/exemption-approved-by'),
      ),
    ).toEqual([
      expect.objectContaining({
        code: 'annotation-invalid',
        message:
          'backup-assurance.io/exemption-approved-by is "component:default/payments-api"; expected an entity ref of a group or user, e.g. group:default/payments.',
      }),
    ]);
  });

  it('only says an expired exemption expired, whoever approved it', () => {
    const result = evaluate({
      'backup-assurance.io/exemption-expires': '2026-11-23T11:59:59Z',
    });
    expect(result.status).toBe('non-compliant');
    expect(codes(result)).toEqual(['backup-method-none', 'exemption-expired']);
  });

  it('never honours an approver it cannot match, whatever the annotation says', () => {
    fc.assert(
      fc.property(fc.string(), approver => {
        fc.pre(!/^\s*(group:(default\/)?)?security-grc\s*$/i.test(approver));
        const result = evaluate(approvedBy(approver));
        expect(result.status).not.toBe('exempt');
        const reasons = result.findings.filter(f =>
          f.annotation?.endsWith('/exemption-approved-by'),
        );
        expect(reasons).toHaveLength(1);
        expect([
          'annotation-invalid',
          'exemption-approver-missing',
          'exemption-approver-not-allowed',
        ]).toContain(reasons[0].code);
      }),
      { numRuns: 500 },
    );
  });
});
