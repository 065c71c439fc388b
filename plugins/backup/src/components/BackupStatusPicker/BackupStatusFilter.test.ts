import { Entity } from '@backstage/catalog-model';
import fc from 'fast-check';
import {
  BackupStatusFilter,
  backupStatusesOfQuery,
  PICKABLE_BACKUP_STATUSES,
} from './BackupStatusFilter';

const component = (name: string): Entity => ({
  apiVersion: 'backstage.io/v1alpha1',
  kind: 'Component',
  metadata: { name, namespace: 'default' },
});

describe('BackupStatusFilter', () => {
  it('keeps entities whose known status was picked', () => {
    const filter = new BackupStatusFilter(
      ['overdue'],
      new Map([
        ['component:default/late', 'overdue'],
        ['component:default/fine', 'compliant'],
      ]),
    );
    expect(filter.filterEntity(component('late'))).toBe(true);
    expect(filter.filterEntity(component('fine'))).toBe(false);
    expect(filter.filterEntity(component('unknown'))).toBe(false);
    expect(filter.toQueryValue()).toEqual(['overdue']);
  });

  it('reads only known statuses from any URL query value', () => {
    fc.assert(
      fc.property(
        fc.oneof(
          fc.anything(),
          fc.array(
            fc.oneof(fc.string(), fc.constantFrom(...PICKABLE_BACKUP_STATUSES)),
          ),
        ),
        value => {
          const statuses = backupStatusesOfQuery(value);
          expect(
            statuses.every(s => PICKABLE_BACKUP_STATUSES.includes(s)),
          ).toBe(true);
          expect(new Set(statuses).size).toBe(statuses.length);
        },
      ),
    );
    expect(backupStatusesOfQuery('overdue')).toEqual(['overdue']);
    expect(backupStatusesOfQuery(['exempt', 'compliant', 'x'])).toEqual([
      'compliant',
      'exempt',
    ]);
  });
});
