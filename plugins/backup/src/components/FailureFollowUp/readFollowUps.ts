import { CompoundEntityRef } from '@backstage/catalog-model';
import {
  EVIDENCE_LIMITS,
  FollowUpRecord,
} from '@backup-assurance/plugin-backup-common';
import { BackupApi } from '../../api';
import { FollowedFailure } from './failureFollowUps';

const PAGE = EVIDENCE_LIMITS.maxPageSize;

/**
 * The follow-ups that may concern the failures shown. The API lists them
 * newest first, and a failure is followed up after it happened, so the pages
 * stop once they reach back before the oldest failure (or the history ends).
 */
export async function readFollowUps(
  backupApi: BackupApi,
  entityRef: CompoundEntityRef,
  failures: FollowedFailure[],
): Promise<FollowUpRecord[]> {
  if (failures.length === 0) return [];
  const oldestFailure = Math.min(...failures.map(f => Date.parse(f.failedAt)));
  const records: FollowUpRecord[] = [];
  for (let offset = 0; ; offset += PAGE) {
    const page = await backupApi.listFollowUps(entityRef, {
      limit: PAGE,
      offset,
    });
    records.push(...page.items);
    const oldest = page.items[page.items.length - 1];
    if (
      !oldest ||
      offset + PAGE >= page.totalCount ||
      Date.parse(oldest.at) < oldestFailure
    ) {
      return records;
    }
  }
}
