import { Entity } from '@backstage/catalog-model';
import { ConfigReader } from '@backstage/config';
import {
  BACKUP_STATUS_PRECEDENCE,
  BackupEvidenceSummary,
  backupRunInputProblems,
  evaluateBackupStatus,
  readBackupPolicy,
  restoreTestInputProblems,
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

/** Each demo user's groups, as the backend reads them from the catalog. */
function demoMemberships(): Record<string, string[]> {
  return Object.fromEntries(
    parseAllDocuments(readYaml('examples/org.yaml'))
      .map(doc => doc.toJSON() as Entity)
      .filter(entity => entity.kind === 'User')
      .map(user => [
        `user:default/${user.metadata.name}`,
        (user.spec?.memberOf as string[]).map(
          group => `group:default/${group}`,
        ),
      ]),
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
  'profile-service': 'non-compliant',
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
            { approverMemberOf: demoMemberships() },
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

  describe('evidence straight from the backup tools', () => {
    const now = new Date('2026-11-23T12:00:00Z');
    const submissions = readDemoEvidence(
      resolvePath(root, 'examples/evidence.yaml'),
      now,
    );
    const captured = (file: string) =>
      JSON.parse(readYaml(`examples/tool-output/${file}`));

    it.each([
      [
        'resource:default/build-artifacts',
        'restic',
        captured('restic-snapshots.json').map(
          (snapshot: { id: string }) => `restic:${snapshot.id}`,
        ),
      ],
      [
        'resource:default/identity-db',
        'pgbackrest',
        captured('pgbackrest-info.json')[0].backup.map(
          (backup: { label: string }) => `pgbackrest:orders:${backup.label}`,
        ),
      ],
    ])(
      '%s shows the runs and a restore test of the captured %s output',
      (entityRef, tool, externalIds) => {
        const ofEntity = submissions.filter(s => s.entityRef === entityRef);
        const runs = ofEntity.flatMap(s =>
          s.type === 'backup-run' && s.input.source === tool ? [s.input] : [],
        );
        const tests = ofEntity.flatMap(s =>
          s.type === 'restore-test' && s.input.source === tool ? [s.input] : [],
        );
        // every backup of the captured output, once, keyed by the tool's id
        expect(runs.map(run => run.externalId)).toEqual(externalIds);
        expect(tests).toEqual([
          expect.objectContaining({
            result: 'succeeded',
            externalId: expect.stringMatching(
              new RegExp(`^${tool}-restore-test:`),
            ),
          }),
        ]);
        const [test] = tests;
        // the latest backup is the recovery point; all recent, none ahead
        const latestRun = Math.max(...runs.map(run => Date.parse(run.runAt)));
        expect(Date.parse(test.recoveryPointAt!)).toBeGreaterThanOrEqual(
          latestRun,
        );
        expect(now.getTime() - latestRun).toBeLessThan(24 * 3600_000);
        for (const run of runs) {
          expect(backupRunInputProblems(run, now)).toEqual([]);
        }
        expect(restoreTestInputProblems(test, now)).toEqual([]);
      },
    );

    it('keeps the order and spacing of the captured times', () => {
      const snapshots = captured('restic-snapshots.json') as { time: string }[];
      const runAts = submissions.flatMap(s =>
        s.type === 'backup-run' && s.input.source === 'restic'
          ? [Date.parse(s.input.runAt)]
          : [],
      );
      const spacing = (times: number[]) =>
        times.slice(1).map((time, i) => time - times[i]);
      expect(spacing(runAts)).toEqual(
        spacing(snapshots.map(snapshot => Date.parse(snapshot.time))),
      );
    });
  });

  it('covers every status', () => {
    expect(new Set(Object.values(EXPECTED))).toEqual(
      new Set(BACKUP_STATUS_PRECEDENCE),
    );
  });
});
