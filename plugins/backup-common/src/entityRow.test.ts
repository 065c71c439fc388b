import { complete, component, NOW } from './__testUtils__/evaluationFixtures';
import { toBackupEntityRow } from './entityRow';
import { evaluateBackupStatus } from './evaluate';
import { DEFAULT_BACKUP_POLICY } from './policy';

const rowOf = (annotations: Record<string, string>, spec = {}) => {
  const entity = component(annotations, spec);
  const evaluation = evaluateBackupStatus(entity, DEFAULT_BACKUP_POLICY, NOW);
  return toBackupEntityRow(entity, evaluation, {
    domainOfSystem: system =>
      system === 'system:default/payments' ? 'domain:default/money' : undefined,
    now: NOW,
  });
};

describe('toBackupEntityRow', () => {
  it('resolves owner, system and domain the way the catalog does', () => {
    const row = rowOf(complete, { owner: 'payments', system: 'payments' });
    expect(row).toMatchObject({
      entityRef: 'component:default/payments-api',
      kind: 'component',
      owner: 'group:default/payments',
      system: 'system:default/payments',
      domain: 'domain:default/money',
      status: 'compliant',
      daysOverdue: null,
    });
  });

  it('counts whole days past the due date of an overdue entity', () => {
    const row = rowOf({
      ...complete,
      'backup-assurance.io/last-restore-test': '2026-01-01',
    });
    expect(row.status).toBe('overdue');
    expect(row.daysOverdue).toBe(
      Math.floor(
        (NOW.getTime() - Date.parse(row.nextRestoreTestDue!)) / 86_400_000,
      ),
    );
    expect(row.daysOverdue).toBeGreaterThan(200);
  });

  it('leaves out a malformed owner rather than failing the row', () => {
    expect(rowOf(complete, { owner: 'group:' }).owner).toBeUndefined();
  });
});
