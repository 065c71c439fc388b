import { Entity } from '@backstage/catalog-model';
import { ConfigReader } from '@backstage/config';
import {
  BACKUP_STATUS_PRECEDENCE,
  evaluateBackupStatus,
  readBackupPolicy,
} from '@backup-assurance/plugin-backup-common';
import { readFileSync } from 'fs';
import { resolve as resolvePath } from 'path';
import { parse, parseAllDocuments } from 'yaml';

// The demo dates are set for this day (see README, "Demo data").
const DEMO_DAY = new Date('2026-11-23T12:00:00Z');
const root = resolvePath(__dirname, '../../..');

const readYaml = (file: string) =>
  readFileSync(resolvePath(root, file), 'utf8');

function demoEntities(): Entity[] {
  return ['examples/entities.yaml', 'catalog-info.yaml'].flatMap(file =>
    parseAllDocuments(readYaml(file)).map(doc => doc.toJSON() as Entity),
  );
}

describe('demo data', () => {
  const policy = readBackupPolicy(
    new ConfigReader(parse(readYaml('app-config.yaml'))),
  );
  const statuses = Object.fromEntries(
    demoEntities().map(entity => [
      entity.metadata.name,
      evaluateBackupStatus(entity, policy, DEMO_DAY).status,
    ]),
  );

  it('evaluates against the agreed policy in app-config.yaml', () => {
    expect(policy.version).toBe('2026.1');
    expect(policy.approvedBy).toBeDefined();
  });

  it('shows each entity with the status the README promises', () => {
    expect(statuses).toEqual({
      'payments-api': 'compliant',
      'payments-db': 'compliant',
      'ledger-service': 'due-soon',
      'invoice-archive': 'overdue',
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
    });
  });

  it('covers every status', () => {
    expect(new Set(Object.values(statuses))).toEqual(
      new Set(BACKUP_STATUS_PRECEDENCE),
    );
  });
});
