import { CompoundEntityRef } from '@backstage/catalog-model';
import { DiscoveryApi, FetchApi } from '@backstage/core-plugin-api';
import { ResponseError } from '@backstage/errors';
import {
  AccessReviewInput,
  AccessReviewRecord,
  BackupEntityPage,
  BackupEntityRow,
  BackupEvaluation,
  BackupOverviewFilters,
  BackupPolicy,
  BackupRunRecord,
  BackupSummary,
  BackupTrends,
  EvidencePage,
  EvidenceVerification,
  FollowUpInput,
  FollowUpRecord,
  RestoreTestInput,
  RestoreTestRecord,
  EVIDENCE_LIMITS,
} from '@backup-assurance/plugin-backup-common';
import {
  BackupApi,
  BackupEntityListRequest,
  BackupTrendsRequest,
  EvidenceExportRequest,
  EvidencePageRequest,
} from './BackupApi';

const entityPath = (ref: CompoundEntityRef) =>
  `/entities/${[ref.kind, ref.namespace, ref.name]
    .map(encodeURIComponent)
    .join('/')}`;

/** `?a=1&b=x` of the defined, non-empty values only; `''` when there are none. */
const queryOf = (values: Record<string, string | number | undefined>) => {
  const params = new URLSearchParams();
  for (const [key, value] of Object.entries(values)) {
    if (value !== undefined && value !== '') params.set(key, String(value));
  }
  const query = params.toString();
  return query ? `?${query}` : '';
};

const pageQuery = (page: EvidencePageRequest = {}) =>
  queryOf({ limit: page.limit, offset: page.offset });

// Listed one by one so that nothing but the contract's filters reaches the URL.
const filterValues = (filters: BackupOverviewFilters = {}) => ({
  owner: filters.owner,
  system: filters.system,
  domain: filters.domain,
  kind: filters.kind,
  classification: filters.classification,
  status: filters.status,
});

function chunksOf<T>(items: T[], size: number): T[][] {
  const chunks: T[][] = [];
  for (let start = 0; start < items.length; start += size) {
    chunks.push(items.slice(start, start + size));
  }
  return chunks;
}

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
    return this.post(`${entityPath(entityRef)}/restore-tests`, input);
  }

  listBackupRuns(
    entityRef: CompoundEntityRef,
    page?: EvidencePageRequest,
  ): Promise<EvidencePage<BackupRunRecord>> {
    return this.request(
      `${entityPath(entityRef)}/backup-runs${pageQuery(page)}`,
    );
  }

  listAccessReviews(
    entityRef: CompoundEntityRef,
    page?: EvidencePageRequest,
  ): Promise<EvidencePage<AccessReviewRecord>> {
    return this.request(
      `${entityPath(entityRef)}/access-reviews${pageQuery(page)}`,
    );
  }

  recordAccessReview(
    entityRef: CompoundEntityRef,
    input: AccessReviewInput,
  ): Promise<AccessReviewRecord> {
    return this.post(`${entityPath(entityRef)}/access-reviews`, input);
  }

  listFollowUps(
    entityRef: CompoundEntityRef,
    page?: EvidencePageRequest,
  ): Promise<EvidencePage<FollowUpRecord>> {
    return this.request(
      `${entityPath(entityRef)}/follow-ups${pageQuery(page)}`,
    );
  }

  recordFollowUp(
    entityRef: CompoundEntityRef,
    input: FollowUpInput,
  ): Promise<FollowUpRecord> {
    return this.post(`${entityPath(entityRef)}/follow-ups`, input);
  }

  verifyEvidence(entityRef: CompoundEntityRef): Promise<EvidenceVerification> {
    return this.request(`${entityPath(entityRef)}/evidence/verify`);
  }

  getSummary(filters?: BackupOverviewFilters): Promise<BackupSummary> {
    return this.request(`/summary${queryOf(filterValues(filters))}`);
  }

  listEntities(
    filters?: BackupOverviewFilters,
    request: BackupEntityListRequest = {},
  ): Promise<BackupEntityPage> {
    const query = queryOf({
      ...filterValues(filters),
      sort: request.sort,
      limit: request.limit,
      offset: request.offset,
    });
    return this.request(`/entities${query}`);
  }

  async getEntityRowsByRefs(
    entityRefs: string[],
  ): Promise<Array<BackupEntityRow | null>> {
    const answers = await Promise.all(
      chunksOf(entityRefs, EVIDENCE_LIMITS.maxEntityRefsPerCall).map(chunk =>
        this.post<{ items: Array<BackupEntityRow | null> }>(
          '/entities/by-refs',
          { entityRefs: chunk },
        ),
      ),
    );
    return answers.flatMap(answer => answer.items);
  }

  getTrends(request: BackupTrendsRequest): Promise<BackupTrends> {
    const query = queryOf({
      from: request.from,
      to: request.to,
      owner: request.owner,
    });
    return this.request(`/trends${query}`);
  }

  async exportEvidence(request: EvidenceExportRequest): Promise<Blob> {
    const query = queryOf({
      format: request.format,
      from: request.from,
      to: request.to,
    });
    return (await this.fetch(`/export${query}`)).blob();
  }

  private post<T>(path: string, body: unknown): Promise<T> {
    return this.request(path, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify(body),
    });
  }

  private async request<T>(path: string, init?: RequestInit): Promise<T> {
    return (await (await this.fetch(path, init)).json()) as T;
  }

  /** Through fetchApi, so the user's token goes along. */
  private async fetch(path: string, init?: RequestInit): Promise<Response> {
    const baseUrl = await this.discoveryApi.getBaseUrl('backup');
    const response = await this.fetchApi.fetch(`${baseUrl}${path}`, init);
    if (!response.ok) {
      throw await ResponseError.fromResponse(response);
    }
    return response;
  }
}
