import {
  AuditorService,
  BackstageCredentials,
  PermissionsService,
} from '@backstage/backend-plugin-api';
import {
  BackupPolicy,
  backupEvidenceExportPermission,
} from '@backup-assurance/plugin-backup-common';
import { Request, Response } from 'express';
import { EvidenceStore } from '../database/EvidenceStore';
import { BackupOverviewService } from './BackupOverviewService';
import { EvidencePackFormat, writeEvidencePack } from './evidencePack';
import { requirePermission } from './permissionCheck';

const DAY_MS = 86_400_000;
const isoDay = (date: Date) => date.toISOString().slice(0, 10);

export interface ExportRouteOptions {
  auditor: AuditorService;
  permissions: PermissionsService;
  policy: BackupPolicy;
  store: EvidenceStore;
  overview: BackupOverviewService;
  /** The validated `from`/`to` days of the query (throws InputError). */
  period: (query: Record<string, unknown>) => { from: string; to: string };
}

/** GET /export: the evidence pack of a period, audited. */
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
  try {
    await requirePermission(
      options.permissions,
      backupEvidenceExportPermission,
      credentials,
    );
    const now = new Date();
    const { from, to } = options.period(req.query);
    const format = (req.query.format as EvidencePackFormat) ?? 'csv';
    const rows = await options.overview.rows(credentials);
    res.setHeader(
      'Content-Type',
      format === 'csv' ? 'text/csv; charset=utf-8' : 'application/json',
    );
    res.setHeader(
      'Content-Disposition',
      `attachment; filename="backup-evidence-${isoDay(now)}.${format}"`,
    );
    await writeEvidencePack({
      format,
      policy: options.policy,
      register: rows.filter(row => row.status !== 'out-of-scope'),
      visibleEntityRefs: new Set(rows.map(row => row.entityRef)),
      from: new Date(`${from}T00:00:00Z`),
      to: new Date(Date.parse(`${to}T00:00:00Z`) + DAY_MS),
      store: options.store,
      out: res,
    });
    await event.success();
  } catch (error) {
    await event.fail({ error: error as Error });
    throw error;
  }
}
