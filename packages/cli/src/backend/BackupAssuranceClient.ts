import {
  BackupRunInput,
  BackupRunRecord,
  BackupStatus,
  RestoreTestInput,
  RestoreTestRecord,
} from '@backup-assurance/plugin-backup-common';
import { CompoundEntityRef } from '@backstage/catalog-model';
import {
  BackendAuthError,
  BackendUnavailableError,
  CliError,
  ConfigurationError,
  EXIT_CODES,
  FailedError,
} from '../errors';

/** The backend's answer to a write: the stored record, new or a repeat. */
export interface StoredRecord<T> {
  created: boolean;
  record: T;
}

export interface EntityStatus {
  entityRef: string;
  status: BackupStatus;
  findings: { code: string; message: string }[];
}

/** Statuses worth another try: the backend restarting or its database away. */
const RETRIABLE_STATUSES = [502, 503, 504];
const REQUEST_TIMEOUT_MS = 120_000;
const MAX_RETRY_DELAY_SECONDS = 30;

const delay = (seconds: number) =>
  new Promise(resolve => setTimeout(resolve, seconds * 1000));

/** The message of a Backstage error body, `{ error: { name, message } }`. */
async function errorMessageOf(response: Response): Promise<string> {
  const text = await response.text().catch(() => '');
  try {
    const message = JSON.parse(text)?.error?.message;
    if (typeof message === 'string') return message;
  } catch {
    // not JSON: a proxy's page, say
  }
  return text.replace(/\s+/g, ' ').trim().slice(0, 200) || response.statusText;
}

/**
 * The backup plugin's API as a machine caller sees it: a static token from
 * BACKUP_ASSURANCE_TOKEN (never a flag, so it stays out of process lists and
 * shell history), every failure turned into one line and an exit code.
 */
export class BackupAssuranceClient {
  static fromEnvironment(options: {
    backend?: string;
    retries: number;
  }): BackupAssuranceClient {
    const backend = options.backend ?? process.env.BACKUP_ASSURANCE_URL;
    if (!backend) {
      throw new ConfigurationError(
        'no backend: pass --backend <url> or set BACKUP_ASSURANCE_URL',
      );
    }
    let url: URL;
    try {
      url = new URL(backend);
    } catch {
      throw new ConfigurationError(`--backend ${backend} is not a URL`);
    }
    const token = process.env.BACKUP_ASSURANCE_TOKEN;
    if (!token) {
      throw new ConfigurationError(
        'no token: set BACKUP_ASSURANCE_TOKEN to a static token of the backend (see README "Recording from CI")',
      );
    }
    return new BackupAssuranceClient(
      url.href.replace(/\/+$/, ''),
      token,
      options.retries,
    );
  }

  private constructor(
    private readonly backend: string,
    private readonly token: string,
    private readonly retries: number,
  ) {}

  private entityRequest<T>(
    method: string,
    entity: CompoundEntityRef,
    suffix: string,
    body?: unknown,
  ) {
    const segments = [
      entity.kind.toLocaleLowerCase('en-US'),
      entity.namespace,
      entity.name,
    ];
    const path = `/api/backup/entities/${segments
      .map(encodeURIComponent)
      .join('/')}/${suffix}`;
    const what = `entity ${entity.kind}:${entity.namespace}/${entity.name}`;
    return this.request<T>(method, path, what, body);
  }

  private async send(method: string, path: string, body?: unknown) {
    try {
      return await fetch(`${this.backend}${path}`, {
        method,
        headers: {
          Authorization: `Bearer ${this.token}`,
          ...(body !== undefined && { 'Content-Type': 'application/json' }),
        },
        body: body === undefined ? undefined : JSON.stringify(body),
        signal: AbortSignal.timeout(REQUEST_TIMEOUT_MS),
      });
    } catch (error) {
      const cause = (error as { cause?: { code?: string; message?: string } })
        .cause;
      throw new BackendUnavailableError(
        `cannot reach the backend at ${this.backend}: ${
          cause?.code ?? cause?.message ?? (error as Error).message
        }`,
      );
    }
  }

  /** `what` names the resource a 404 is about, e.g. the entity. */
  private async failureOf(response: Response, what: string): Promise<CliError> {
    const status = response.status;
    const reason = `${await errorMessageOf(response)} (${status})`;
    if (status === 401) {
      return new BackendAuthError(
        `the backend refused the token in BACKUP_ASSURANCE_TOKEN: ${reason}`,
      );
    }
    if (status === 403) {
      return new BackendAuthError(
        `the token may not do this; its accessRestrictions must allow the backup plugin's permission: ${reason}`,
      );
    }
    if (status === 404) {
      return new ConfigurationError(
        `unknown ${what} (or no backup plugin at ${this.backend}): ${reason}`,
      );
    }
    if (status >= 500) {
      return new BackendUnavailableError(`the backend failed: ${reason}`);
    }
    if (status === 400 || status === 409 || status === 413) {
      return new FailedError(`the backend rejected the records: ${reason}`);
    }
    return new CliError(
      `unexpected answer from the backend: ${reason}`,
      EXIT_CODES.failed,
    );
  }

  private retryDelay(response: Response | undefined, attempt: number) {
    const retryAfter = Number(response?.headers.get('retry-after'));
    return Math.min(
      Number.isFinite(retryAfter) && retryAfter > 0 ? retryAfter : 2 ** attempt,
      MAX_RETRY_DELAY_SECONDS,
    );
  }

  /**
   * Every write carries an externalId, so repeating one after a dropped
   * connection or a 503 stores it once.
   */
  private async request<T>(
    method: string,
    path: string,
    what: string,
    body?: unknown,
  ): Promise<{ status: number; body: T }> {
    for (let attempt = 0; ; attempt++) {
      let response: Response | undefined;
      let failure: CliError;
      try {
        response = await this.send(method, path, body);
        if (response.ok) {
          return {
            status: response.status,
            body: (await response.json()) as T,
          };
        }
        failure = await this.failureOf(response, what);
      } catch (error) {
        if (!(error instanceof BackendUnavailableError)) throw error;
        failure = error;
      }
      const retriable =
        failure instanceof BackendUnavailableError &&
        (!response || RETRIABLE_STATUSES.includes(response.status));
      if (!retriable || attempt >= this.retries) throw failure;
      await delay(this.retryDelay(response, attempt));
    }
  }

  /** Also checks early that the backend, the token and the entity are right. */
  async getStatus(entity: CompoundEntityRef): Promise<EntityStatus> {
    return (await this.entityRequest<EntityStatus>('GET', entity, 'status'))
      .body;
  }

  /** The policy the backend evaluates with, as it serves it (JSON). */
  async getPolicy(): Promise<unknown> {
    return (await this.request<unknown>('GET', '/api/backup/policy', 'policy'))
      .body;
  }

  async postBackupRuns(
    entity: CompoundEntityRef,
    items: BackupRunInput[],
  ): Promise<StoredRecord<BackupRunRecord>[]> {
    const { body } = await this.entityRequest<{
      items: StoredRecord<BackupRunRecord>[];
    }>('POST', entity, 'backup-runs/batch', { items });
    return body.items;
  }

  async postRestoreTest(
    entity: CompoundEntityRef,
    input: RestoreTestInput,
  ): Promise<StoredRecord<RestoreTestRecord>> {
    const { status, body } = await this.entityRequest<RestoreTestRecord>(
      'POST',
      entity,
      'restore-tests',
      input,
    );
    return { created: status === 201, record: body };
  }
}
