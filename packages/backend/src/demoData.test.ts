import { Entity } from '@backstage/catalog-model';
import { ConfigReader } from '@backstage/config';
import {
  BACKUP_STATUS_PRECEDENCE,
  BackupEvidenceSummary,
  evaluateBackupStatus,
  readBackupPolicy,
} from '@backup-assurance/plugin-backup-common';
import { readFileSync } from 'fs';
import { resolve as resolvePath } from 'path';
import { parse, parseAllDocuments } from 'yaml';
import { DemoSubmission, readDemoEvidence } from './demo/demoEvidence';

const root = resolvePath(__dirname, '../../..');
const readYaml = (file: string) =>
  readFileSync(resolvePath(root, file), 'utf8');

function demoEntities(): Entity[] {
  return ['examples/entities.yaml', 'catalog-info.yaml'].flatMap(file =>
    parseAllDocuments(readYaml(file)).map(doc => doc.toJSON() as Entity),
  );
}

/** What the store would report as the latest evidence of each entity. */
function latestEvidence(
  submissions: DemoSubmission[],
  entityRef: string,
): BackupEvidenceSummary {
  const corrected = new Set(
    submissions.flatMap(s =>
      s.type === 'restore-test' && s.correctionOf ? [s.correctionOf] : [],
    ),
  );
  const newest = <T>(items: T[], at: (item: T) => string) =>
    [...items].sort((a, b) => at(b).localeCompare(at(a)))[0];
  const tests = submissions.flatMap(s =>
    s.type === 'restore-test' &&
    s.entityRef === entityRef &&
    !corrected.has(s.id)
      ? [{ id: s.id, restoreDurationSeconds: 0, ...s.input }]
      : [],
  );
  const runs = submissions.flatMap(s =>
    s.type === 'backup-run' && s.entityRef === entityRef
      ? [{ id: s.id, ...s.input }]
      : [],
  );
  const reviews = submissions.flatMap(s =>
    s.type === 'access-review' && s.entityRef === entityRef
      ? [{ id: s.id, ...s.input }]
      : [],
  );
  return {
    latestAccessReview: newest(reviews, r => r.reviewedAt),
    latestRestoreTest: newest(tests, t => t.completedAt),
    lastSuccessfulRestoreTest: newest(
      tests.filter(t => t.result === 'succeeded'),
      t => t.completedAt,
    ),
    latestBackupRun: newest(runs, r => r.runAt),
    lastSuccessfulBackupRun: newest(
      runs.filter(r => r.outcome === 'succeeded'),
      r => r.runAt,
    ),
  };
}

const EXPECTED = {
  'payments-api': 'compliant',
  'payments-db': 'compliant',
  'ledger-service': 'due-soon',
  'invoice-archive': 'non-compliant',
  'identity-api': 'non-compliant',
  'identity-db': 'compliant',
  'profile-service': 'incomplete',
  'notification-worker': 'invalid',
  'legacy-reporting': 'exempt',
  'analytics-warehouse': 'overdue',
  'build-artifacts': 'compliant',
  'ci-runner': 'incomplete',
  'developer-docs': 'out-of-scope',
  'backup-assurance': 'compliant',
};

describe('demo data', () => {
  const policy = readBackupPolicy(
    new ConfigReader(parse(readYaml('app-config.yaml'))),
  );

  function statusesWhenSeededAt(now: Date) {
    const submissions = readDemoEvidence(
      resolvePath(root, 'examples/evidence.yaml'),
      now,
    );
    return Object.fromEntries(
      demoEntities().map(entity => {
        const ref = `${entity.kind.toLocaleLowerCase('en-US')}:default/${
          entity.metadata.name
        }`;
        return [
          entity.metadata.name,
          evaluateBackupStatus(
            entity,
            policy,
            now,
            latestEvidence(submissions, ref),
          ).status,
        ];
      }),
    );
  }

  it('evaluates against the agreed policy in app-config.yaml', () => {
    expect(policy.version).toBe('2026.1');
    expect(policy.approvedBy).toBeDefined();
  });

  it.each([
    ['the day the demo was written', '2026-11-23T12:00:00Z'],
    ['a year later', '2027-11-23T12:00:00Z'],
  ])(
    'shows each entity with the status the README promises, seeded %s',
    (_when, now) => {
      expect(statusesWhenSeededAt(new Date(now))).toEqual(EXPECTED);
    },
  );

  it('covers every status', () => {
    expect(new Set(Object.values(EXPECTED))).toEqual(
      new Set(BACKUP_STATUS_PRECEDENCE),
    );
  });
});
