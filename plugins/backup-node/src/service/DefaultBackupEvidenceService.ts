import { AuthService, DiscoveryService } from '@backstage/backend-plugin-api';
import { parseEntityRef } from '@backstage/catalog-model';
import { ResponseError } from '@backstage/errors';
import {
  AccessReviewInput,
  AccessReviewRecord,
  BackupEvaluation,
  BackupRunInput,
  BackupRunRecord,
  EVIDENCE_LIMITS,
  RestoreTestInput,
  RestoreTestRecord,
} from '@backup-assurance/plugin-backup-common';
import {
  BackupEntityRef,
  BackupEvidenceAppendResult,
  BackupEvidenceService,
} from './BackupEvidenceService';

/**
 * Options of {@link DefaultBackupEvidenceService.create}.
 *
 * @public
 */
export interface BackupEvidenceServiceOptions {
  auth: AuthService;
  discovery: DiscoveryService;
}

type EvidenceRoute = 'restore-tests' | 'backup-runs' | 'access-reviews';

/** `/entities/:kind/:namespace/:name` of the backup API. */
function entityPath(entityRef: BackupEntityRef): string {
  const { kind, namespace, name } = parseEntityRef(entityRef);
  return `/entities/${[kind, namespace, name]
    .map(encodeURIComponent)
    .join('/')}`;
}

function chunksOf<T>(items: T[], size: number): T[][] {
  const chunks: T[][] = [];
  for (let start = 0; start < items.length; start += size) {
    chunks.push(items.slice(start, start + size));
  }
  return chunks;
}

/**
 * The {@link BackupEvidenceService} over the backup backend's HTTP API, with
 * the calling plugin's own service credentials; works from any plugin in any
 * backend process. Failures throw a `ResponseError`.
 *
 * @public
 */
export class DefaultBackupEvidenceService implements BackupEvidenceService {
  static create(
    options: BackupEvidenceServiceOptions,
  ): DefaultBackupEvidenceService {
    return new DefaultBackupEvidenceService(options.discovery, options.auth);
  }

  private constructor(
    private readonly discovery: DiscoveryService,
    private readonly auth: AuthService,
  ) {}

  async recordRestoreTest(entityRef: BackupEntityRef, input: RestoreTestInput) {
    const [result] = await this.recordRestoreTests(entityRef, [input]);
    return result;
  }

  recordRestoreTests(entityRef: BackupEntityRef, inputs: RestoreTestInput[]) {
    return this.append<RestoreTestRecord>('restore-tests', entityRef, inputs);
  }

  async recordBackupRun(entityRef: BackupEntityRef, input: BackupRunInput) {
    const [result] = await this.recordBackupRuns(entityRef, [input]);
    return result;
  }

  recordBackupRuns(entityRef: BackupEntityRef, inputs: BackupRunInput[]) {
    return this.append<BackupRunRecord>('backup-runs', entityRef, inputs);
  }

  async recordAccessReview(
    entityRef: BackupEntityRef,
    input: AccessReviewInput,
  ) {
    const [result] = await this.recordAccessReviews(entityRef, [input]);
    return result;
  }

  recordAccessReviews(entityRef: BackupEntityRef, inputs: AccessReviewInput[]) {
    return this.append<AccessReviewRecord>('access-reviews', entityRef, inputs);
  }

  getEvaluation(entityRef: BackupEntityRef): Promise<BackupEvaluation> {
    return this.request('GET', `${entityPath(entityRef)}/status`);
  }

  /**
   * Posts to the batch route, in requests of at most the route's batch size:
   * each request is stored whole, in order, and safe to repeat.
   */
  private async append<TRecord>(
    route: EvidenceRoute,
    entityRef: BackupEntityRef,
    inputs: object[],
  ): Promise<BackupEvidenceAppendResult<TRecord>[]> {
    const path = `${entityPath(entityRef)}/${route}/batch`;
    const results: BackupEvidenceAppendResult<TRecord>[] = [];
    for (const items of chunksOf(inputs, EVIDENCE_LIMITS.maxBatchSize)) {
      const answer = await this.request<{
        items: BackupEvidenceAppendResult<TRecord>[];
      }>('POST', path, { items });
      results.push(...answer.items);
    }
    return results;
  }

  private async request<T>(
    method: 'GET' | 'POST',
    path: string,
    body?: object,
  ): Promise<T> {
    const baseUrl = await this.discovery.getBaseUrl('backup');
    const { token } = await this.auth.getPluginRequestToken({
      onBehalfOf: await this.auth.getOwnServiceCredentials(),
      targetPluginId: 'backup',
    });
    const response = await fetch(`${baseUrl}${path}`, {
      method,
      headers: {
        Accept: 'application/json',
        Authorization: `Bearer ${token}`,
        ...(body ? { 'Content-Type': 'application/json' } : {}),
      },
      body: body ? JSON.stringify(body) : undefined,
    });
    if (!response.ok) {
      throw await ResponseError.fromResponse(response);
    }
    return (await response.json()) as T;
  }
}
