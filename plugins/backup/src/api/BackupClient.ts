import { CompoundEntityRef } from '@backstage/catalog-model';
import { DiscoveryApi, FetchApi } from '@backstage/core-plugin-api';
import { ResponseError } from '@backstage/errors';
import {
  BackupEvaluation,
  BackupPolicy,
  BackupRunRecord,
  EvidencePage,
  EvidenceVerification,
  RestoreTestInput,
  RestoreTestRecord,
} from '@backup-assurance/plugin-backup-common';
import { BackupApi, EvidencePageRequest } from './BackupApi';

const entityPath = (ref: CompoundEntityRef) =>
  `/entities/${[ref.kind, ref.namespace, ref.name]
    .map(encodeURIComponent)
    .join('/')}`;

const pageQuery = (page: EvidencePageRequest = {}) => {
  const params = new URLSearchParams();
  if (page.limit !== undefined) params.set('limit', String(page.limit));
  if (page.offset !== undefined) params.set('offset', String(page.offset));
  const query = params.toString();
  return query ? `?${query}` : '';
};

/** @public */
export class BackupClient implements BackupApi {
  private readonly discoveryApi: DiscoveryApi;
  private readonly fetchApi: FetchApi;

  constructor(options: { discoveryApi: DiscoveryApi; fetchApi: FetchApi }) {
    this.discoveryApi = options.discoveryApi;
    this.fetchApi = options.fetchApi;
  }

  getStatus(entityRef: CompoundEntityRef): Promise<BackupEvaluation> {
    return this.request(`${entityPath(entityRef)}/status`);
  }

  getPolicy(): Promise<BackupPolicy> {
    return this.request('/policy');
  }

  listRestoreTests(
    entityRef: CompoundEntityRef,
    page?: EvidencePageRequest,
  ): Promise<EvidencePage<RestoreTestRecord>> {
    return this.request(
      `${entityPath(entityRef)}/restore-tests${pageQuery(page)}`,
    );
  }

  recordRestoreTest(
    entityRef: CompoundEntityRef,
    input: RestoreTestInput,
  ): Promise<RestoreTestRecord> {
    return this.request(`${entityPath(entityRef)}/restore-tests`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify(input),
    });
  }

  listBackupRuns(
    entityRef: CompoundEntityRef,
    page?: EvidencePageRequest,
  ): Promise<EvidencePage<BackupRunRecord>> {
    return this.request(
      `${entityPath(entityRef)}/backup-runs${pageQuery(page)}`,
    );
  }

  verifyEvidence(entityRef: CompoundEntityRef): Promise<EvidenceVerification> {
    return this.request(`${entityPath(entityRef)}/evidence/verify`);
  }

  private async request<T>(path: string, init?: RequestInit): Promise<T> {
    const baseUrl = await this.discoveryApi.getBaseUrl('backup');
    const response = await this.fetchApi.fetch(`${baseUrl}${path}`, init);
    if (!response.ok) {
      throw await ResponseError.fromResponse(response);
    }
    return (await response.json()) as T;
  }
}
