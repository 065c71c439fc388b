import { CompoundEntityRef } from '@backstage/catalog-model';
import { useApi } from '@backstage/core-plugin-api';
import useAsyncRetry from 'react-use/esm/useAsyncRetry';
import { backupApiRef } from '../../api';
import {
  failureOfBackupRun,
  failureOfRestoreTest,
  FollowedFailure,
  followUpsByFailure,
  readFollowUps,
} from '../FailureFollowUp';

const HISTORY_PAGE = 50;

const isFailure = (f: FollowedFailure | undefined): f is FollowedFailure =>
  f !== undefined;

/**
 * Everything the Backup tab shows of an entity: its newest records, their
 * chain verification, and how each failure among them was followed up.
 * `retry` reads it all again after a write.
 */
export function useEntityEvidence(entityRef: CompoundEntityRef) {
  const backupApi = useApi(backupApiRef);
  const { kind, namespace, name } = entityRef;
  return useAsyncRetry(async () => {
    const ref = { kind, namespace, name };
    const page = { limit: HISTORY_PAGE };
    const [restoreTests, backupRuns, accessReviews, verification, policy] =
      await Promise.all([
        backupApi.listRestoreTests(ref, page),
        backupApi.listBackupRuns(ref, page),
        backupApi.listAccessReviews(ref, page),
        backupApi.verifyEvidence(ref),
        backupApi.getPolicy(),
      ]);
    const failures = [
      ...restoreTests.items.map(failureOfRestoreTest),
      ...backupRuns.items.map(failureOfBackupRun),
    ].filter(isFailure);
    const followUps = await readFollowUps(backupApi, ref, failures);
    return {
      restoreTests,
      backupRuns,
      accessReviews,
      verification,
      acknowledgeWithin: policy.failureAcknowledgeWithin,
      followUpsOf: followUpsByFailure(followUps),
    };
  }, [backupApi, kind, namespace, name]);
}
