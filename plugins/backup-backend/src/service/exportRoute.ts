import {
  AuditorService,
  AuditorServiceEvent,
  BackstageCredentials,
  LoggerService,
  PermissionsService,
} from '@backstage/backend-plugin-api';
import { CustomErrorBase, InputError } from '@backstage/errors';
import {
  BackupPolicy,
  backupEvidenceExportPermission,
} from '@backup-assurance/plugin-backup-common';
import { Request, Response } from 'express';
import { EvidenceStore } from '../database/EvidenceStore';
import { BackupOverviewService } from './BackupOverviewService';
import {
  EvidencePackFormat,
  EvidencePackOutcome,
  openEvidencePack,
} from './evidencePack';
import { requirePermission } from './permissionCheck';

const DAY_MS = 86_400_000;
const isoDay = (date: Date) => date.toISOString().slice(0, 10);

/** Seconds a client turned away at the download cap should wait. */
export const EXPORT_RETRY_AFTER_SECONDS = 30;

/** Caps the evidence-pack downloads streamed at once; one per plugin. */
export interface ExportLimiter {
  /** Takes a slot: its release function, or undefined when all are taken. */
  tryAcquire(): (() => void) | undefined;
}

export function createExportLimiter(options: {
  maxConcurrentDownloads: number;
}): ExportLimiter {
  let active = 0;
  return {
    tryAcquire() {
      if (active >= options.maxConcurrentDownloads) return undefined;
      active++;
      let released = false;
      return () => {
        if (released) return;
        released = true;
        active--;
      };
    },
  };
}

/** Answered as 429 by the error middleware, which reads `statusCode`. */
class TooManyDownloadsError extends CustomErrorBase {
  name = 'TooManyRequestsError' as const;

  // a getter, so that the error body stays { name, message }
  get statusCode() {
    return 429;
  }
}

export interface ExportRouteOptions {
  auditor: AuditorService;
  permissions: PermissionsService;
  policy: BackupPolicy;
  store: EvidenceStore;
  overview: BackupOverviewService;
  /** The validated `from`/`to` days of the query (throws InputError). */
  period: (query: Record<string, unknown>) => { from: string; to: string };
  /** Shared by all requests of the plugin (createExportLimiter). */
  limiter: ExportLimiter;
  /** Logs a failure after the download started (the response is aborted). */
  logger: LoggerService;
}

function takeSlot(limiter: ExportLimiter, res: Response): () => void {
  const release = limiter.tryAcquire();
  if (!release) {
    res.setHeader('Retry-After', String(EXPORT_RETRY_AFTER_SECONDS));
    throw new TooManyDownloadsError(
      `Too many evidence-pack downloads in progress; retry in ${EXPORT_RETRY_AFTER_SECONDS} seconds`,
    );
  }
  return release;
}

/** Midnight UTC of a day the period reader has already checked. */
const dayStart = (day: string) => new Date(`${day}T00:00:00Z`);

function formatOf(value: unknown): EvidencePackFormat {
  const format = value ?? 'csv';
  if (format !== 'csv' && format !== 'json') {
    throw new InputError('format must be csv or json');
  }
  return format;
}

/**
 * A client that went away is a cancellation, not a failure: nothing went
 * wrong on the server, yet part of the evidence did leave, so the export is
 * still recorded, marked cancelled, without an error or a stack.
 */
async function auditOutcome(
  event: AuditorServiceEvent,
  outcome: EvidencePackOutcome,
) {
  if (outcome.status === 'cancelled') {
    await event.success({
      meta: { cancelled: true, reason: 'client disconnected' },
    });
    return;
  }
  const { counts, sha256 } = outcome.manifest;
  await event.success({ meta: { ...counts, sha256 } });
}

/**
 * GET /export: the evidence pack of a period, audited. Everything that can
 * be refused is checked before the first byte; afterwards a failure can
 * only abort the transfer, which leaves the file without its manifest.
 */
export async function exportEvidencePack(
  req: Request<any, any, any, any>,
  res: Response,
  credentials: BackstageCredentials,
  options: ExportRouteOptions,
) {
  const event = await options.auditor.createEvent({
    eventId: 'evidence-export',
    severityLevel: 'medium',
    request: req,
    meta: { query: { ...req.query } as Record<string, string> },
  });
  let release: (() => void) | undefined;
  try {
    await requirePermission(
      options.permissions,
      backupEvidenceExportPermission,
      credentials,
    );
    const now = new Date();
    const period = options.period(req.query);
    const from = dayStart(period.from);
    const to = new Date(dayStart(period.to).getTime() + DAY_MS);
    const format = formatOf(req.query.format);
    release = takeSlot(options.limiter, res);
    const rows = await options.overview.rows(credentials);
    const pack = await openEvidencePack({
      format,
      policy: options.policy,
      register: rows.filter(row => row.status !== 'out-of-scope'),
      visibleEntityRefs: new Set(rows.map(row => row.entityRef)),
      from,
      to,
      store: options.store,
      now,
    });
    res.setHeader(
      'Content-Type',
      format === 'csv' ? 'text/csv; charset=utf-8' : 'application/json',
    );
    res.setHeader(
      'Content-Disposition',
      `attachment; filename="backup-evidence-${isoDay(now)}.${format}"`,
    );
    await auditOutcome(event, await pack.writeTo(res));
  } catch (error) {
    await event.fail({ error: error as Error });
    if (!res.headersSent) {
      // the error answer is JSON, not a file to save
      res.removeHeader('Content-Disposition');
      throw error;
    }
    // the response is aborted already; rethrowing would log it twice
    options.logger.error(
      'Evidence pack export failed after the download started; the transfer was aborted',
      error as Error,
    );
  } finally {
    release?.();
  }
}
