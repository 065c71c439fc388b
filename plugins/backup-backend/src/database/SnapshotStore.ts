import { DatabaseService } from '@backstage/backend-plugin-api';
import {
  BackupFigures,
  BackupTrendPoint,
} from '@backup-assurance/plugin-backup-common';
import { Knex } from 'knex';
import { migratedClient } from './migrations';

const SNAPSHOTS = 'backup_snapshots';

/**
 * Daily figures per owner group. Writing a day that already has a snapshot
 * for an owner keeps the first one, so concurrent runs store one snapshot.
 */
export class DatabaseSnapshotStore {
  static async create(options: {
    database: DatabaseService;
  }): Promise<DatabaseSnapshotStore> {
    return new DatabaseSnapshotStore(await migratedClient(options.database));
  }

  private constructor(private readonly db: Knex) {}

  /** Returns how many owners' snapshots were newly written for the day. */
  async writeDay(
    day: string,
    figuresByOwner: Map<string, BackupFigures>,
    now: Date,
  ): Promise<number> {
    const rows = [...figuresByOwner.entries()].map(([owner, figures]) => ({
      day,
      owner,
      figures: JSON.stringify(figures),
      created_at: now,
    }));
    if (rows.length === 0) return 0;
    const before = await this.countDay(day);
    await this.db(SNAPSHOTS).insert(rows).onConflict(['day', 'owner']).ignore();
    return (await this.countDay(day)) - before;
  }

  async read(options: {
    from: string;
    to: string;
    owners?: string[];
  }): Promise<BackupTrendPoint[]> {
    const query = this.db(SNAPSHOTS)
      .where('day', '>=', options.from)
      .where('day', '<=', options.to)
      .orderBy(['day', 'owner']);
    if (options.owners) query.whereIn('owner', options.owners);
    const rows = await query;
    return rows.map(row => ({
      day: row.day,
      owner: row.owner,
      ...(JSON.parse(row.figures) as BackupFigures),
    }));
  }

  private async countDay(day: string): Promise<number> {
    const [{ count }] = await this.db(SNAPSHOTS)
      .where({ day })
      .count({ count: '*' });
    return Number(count);
  }
}
