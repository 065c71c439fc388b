import {
  AuditorService,
  AuditorServiceEvent,
  HttpAuthService,
  LoggerService,
  PermissionsService,
} from '@backstage/backend-plugin-api';
import { createValidatedOpenApiRouter } from '@backstage/backend-openapi-utils';
import {
  CompoundEntityRef,
  makeValidator,
  parseEntityRef,
  stringifyEntityRef,
} from '@backstage/catalog-model';
import { InputError, NotFoundError } from '@backstage/errors';
import {
  BackupOverviewFilters,
  BackupOverviewSort,
  BackupPolicy,
  AccessReviewInput,
  BackupRunInput,
  BackupTrends,
  EVIDENCE_LIMITS,
  FollowUpInput,
  RestoreTestInput,
  textInputProblems,
} from '@backup-assurance/plugin-backup-common';
import express, { ErrorRequestHandler, Request, Response } from 'express';
import Router from 'express-promise-router';
import { spec } from '../schema/openapi';
import { EvidenceStore } from '../database/EvidenceStore';
import { DatabaseSnapshotStore } from '../database/SnapshotStore';
import { BackupOverviewService } from './BackupOverviewService';
import { BackupStatusService } from './BackupStatusService';
import { EntityReader } from './entityAccess';
import { createErrorTranslator } from './errorResponses';
import { ExportLimiter, exportEvidencePack } from './exportRoute';
import { periodFromQuery } from './queryPeriod';
import { EvidenceService } from './EvidenceService';

const validator = makeValidator();

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** Room for a full batch of records at their size limits. */
const BODY_LIMIT = '10mb';

/** Reads and validates the `:kind/:namespace/:name` route parameters. */
function entityRefFromParams(params: {
  kind: string;
  namespace: string;
  name: string;
}): CompoundEntityRef {
  const { kind, namespace, name } = params;
  const problems = [
    !validator.isValidKind(kind) && `kind "${kind}"`,
    !validator.isValidNamespace(namespace) && `namespace "${namespace}"`,
    !validator.isValidEntityName(name) && `name "${name}"`,
  ].filter(Boolean);
  if (problems.length > 0) {
    throw new InputError(
      `Malformed entity ref: invalid ${problems.join(', ')}`,
    );
  }
  return {
    kind: kind.toLocaleLowerCase('en-US'),
    namespace: namespace.toLocaleLowerCase('en-US'),
    name,
  };
}

/**
 * The body's entity refs (their shape checked by the schema), each part
 * checked by the catalog's rules like route parameters, naming the field.
 */
function entityRefsFromBody(entityRefs: string[]): string[] {
  return entityRefs.map((ref, i) => {
    try {
      return stringifyEntityRef(entityRefFromParams(parseEntityRef(ref)));
    } catch (error) {
      throw new InputError(
        `body.entityRefs[${i}]: ${(error as Error).message}`,
      );
    }
  });
}

function pageFromQuery(query: { limit?: unknown; offset?: unknown }) {
  return {
    limit: Number(query.limit ?? EVIDENCE_LIMITS.defaultPageSize),
    offset: Number(query.offset ?? 0),
  };
}

/** The `:kind/:namespace/:name` route parameters as an entity ref string. */
const entityRefOf = (params: {
  kind: string;
  namespace: string;
  name: string;
}) => stringifyEntityRef(entityRefFromParams(params));

const AUDIT_EVENT = 'auditEvent';

/**
 * Opens an audit event for an evidence write before the body is validated,
 * so that rejected writes are audited too.
 */
function startAudit(auditor: AuditorService, eventId: string) {
  return async (req: Request, res: Response) => {
    res.locals[AUDIT_EVENT] = await auditor.createEvent({
      eventId,
      severityLevel: 'medium',
      request: req,
      meta: { path: req.path },
    });
    return 'next' as const;
  };
}

const auditEventOf = (res: Response): AuditorServiceEvent | undefined =>
  res.locals[AUDIT_EVENT];

/** Answers a write: 201 for a new record, 200 for a repeated external id. */
async function respondWithRecord(
  res: Response,
  result: { record: { id: string; entityRef: string }; created: boolean },
) {
  const { record, created } = result;
  await auditEventOf(res)?.success({
    meta: { entityRef: record.entityRef, recordId: record.id, created },
  });
  res.status(created ? 201 : 200).json(record);
}

/** Answers a batch: 201 when any record is new, 200 when all were repeats. */
async function respondWithRecords(
  res: Response,
  results: Array<{
    record: { id: string; entityRef: string };
    created: boolean;
  }>,
) {
  await auditEventOf(res)?.success({
    meta: {
      entityRef: results[0]?.record.entityRef,
      records: results.map(({ record, created }) => ({
        recordId: record.id,
        created,
      })),
    },
  });
  const anyCreated = results.some(result => result.created);
  res.status(anyCreated ? 201 : 200).json({ items: results });
}

const failAudit: ErrorRequestHandler = async (error, _req, res, next) => {
  await auditEventOf(res)?.fail({ error });
  next(error);
};

export interface RouterOptions {
  logger: LoggerService;
  /** Caps concurrent evidence-pack downloads (createExportLimiter). */
  exportLimiter: ExportLimiter;
  httpAuth: HttpAuthService;
  auditor: AuditorService;
  permissions: PermissionsService;
  policy: BackupPolicy;
  store: EvidenceStore;
  snapshots: DatabaseSnapshotStore;
  entities: EntityReader;
  statusService: BackupStatusService;
  evidenceService: EvidenceService;
  overview: BackupOverviewService;
}

function filtersFromQuery(
  query: Record<string, unknown>,
): BackupOverviewFilters {
  const pick = (key: keyof BackupOverviewFilters) =>
    typeof query[key] === 'string' ? { [key]: query[key] } : {};
  return {
    ...pick('owner'),
    ...pick('system'),
    ...pick('domain'),
    ...pick('kind'),
    ...pick('classification'),
    ...pick('status'),
  } as BackupOverviewFilters;
}

/**
 * Rejects text that could not be stored exactly as it would be hashed (lone
 * surrogates, NUL) anywhere in the query or body, naming the field.
 */
async function rejectUnstorableText(req: Request) {
  const problems = [
    ...textInputProblems(req.query, 'query'),
    ...textInputProblems(req.body, 'body'),
  ];
  if (problems.length > 0) {
    throw new InputError(problems.map(p => p.message).join('; '));
  }
  return 'next' as const;
}

export async function createRouter(
  options: RouterOptions,
): Promise<express.Router> {
  const { httpAuth, auditor, statusService, evidenceService, overview } =
    options;
  // typed routes narrow `req`; authentication only needs its headers
  const credentialsOf = (req: Request<any, any, any, any>) =>
    httpAuth.credentials(req, { allow: ['user', 'service'] });

  const api = createValidatedOpenApiRouter<typeof spec>(spec, {
    // a batch of records is larger than express's default of 100 kB
    middleware: [express.json({ limit: BODY_LIMIT }), rejectUnstorableText],
  });

  api.get('/health', (_req, res) => {
    res.json({ status: 'ok' });
  });

  api.get('/policy', async (req, res) => {
    await credentialsOf(req);
    res.json(statusService.getPolicy());
  });

  api.get('/entities/:kind/:namespace/:name/status', async (req, res) => {
    const credentials = await credentialsOf(req);
    res.json(
      await statusService.getStatus(
        entityRefFromParams(req.params),
        credentials,
      ),
    );
  });

  api.post(
    '/entities/:kind/:namespace/:name/restore-tests',
    async (req, res) => {
      const credentials = await credentialsOf(req);
      const entityRef = entityRefOf(req.params);
      await respondWithRecord(
        res,
        await evidenceService.recordRestoreTest(
          entityRef,
          req.body as RestoreTestInput,
          credentials,
        ),
      );
    },
  );

  api.get(
    '/entities/:kind/:namespace/:name/restore-tests',
    async (req, res) => {
      const credentials = await credentialsOf(req);
      const entityRef = entityRefOf(req.params);
      res.json(
        await evidenceService.listRestoreTests(
          entityRef,
          pageFromQuery(req.query),
          credentials,
        ),
      );
    },
  );

  api.get('/restore-tests/:id', async (req, res) => {
    const credentials = await credentialsOf(req);
    const { id } = req.params;
    // record ids are UUIDs: anything else names no record
    if (!UUID.test(id)) throw new NotFoundError(`No restore test ${id} found`);
    res.json(await evidenceService.getRestoreTest(id, credentials));
  });

  api.post('/entities/:kind/:namespace/:name/backup-runs', async (req, res) => {
    const credentials = await credentialsOf(req);
    const entityRef = entityRefOf(req.params);
    await respondWithRecord(
      res,
      await evidenceService.recordBackupRun(
        entityRef,
        req.body as BackupRunInput,
        credentials,
      ),
    );
  });

  api.get('/entities/:kind/:namespace/:name/backup-runs', async (req, res) => {
    const credentials = await credentialsOf(req);
    const entityRef = entityRefOf(req.params);
    res.json(
      await evidenceService.listBackupRuns(
        entityRef,
        pageFromQuery(req.query),
        credentials,
      ),
    );
  });

  api.post(
    '/entities/:kind/:namespace/:name/access-reviews',
    async (req, res) => {
      const credentials = await credentialsOf(req);
      const entityRef = entityRefOf(req.params);
      await respondWithRecord(
        res,
        await evidenceService.recordAccessReview(
          entityRef,
          req.body as AccessReviewInput,
          credentials,
        ),
      );
    },
  );

  api.get(
    '/entities/:kind/:namespace/:name/access-reviews',
    async (req, res) => {
      const credentials = await credentialsOf(req);
      const entityRef = entityRefOf(req.params);
      res.json(
        await evidenceService.listAccessReviews(
          entityRef,
          pageFromQuery(req.query),
          credentials,
        ),
      );
    },
  );

  api.post(
    '/entities/:kind/:namespace/:name/restore-tests/batch',
    async (req, res) => {
      const credentials = await credentialsOf(req);
      await respondWithRecords(
        res,
        await evidenceService.recordRestoreTests(
          entityRefOf(req.params),
          req.body.items as RestoreTestInput[],
          credentials,
        ),
      );
    },
  );

  api.post(
    '/entities/:kind/:namespace/:name/backup-runs/batch',
    async (req, res) => {
      const credentials = await credentialsOf(req);
      await respondWithRecords(
        res,
        await evidenceService.recordBackupRuns(
          entityRefOf(req.params),
          req.body.items as BackupRunInput[],
          credentials,
        ),
      );
    },
  );

  api.post(
    '/entities/:kind/:namespace/:name/access-reviews/batch',
    async (req, res) => {
      const credentials = await credentialsOf(req);
      await respondWithRecords(
        res,
        await evidenceService.recordAccessReviews(
          entityRefOf(req.params),
          req.body.items as AccessReviewInput[],
          credentials,
        ),
      );
    },
  );

  api.post('/entities/:kind/:namespace/:name/follow-ups', async (req, res) => {
    const credentials = await credentialsOf(req);
    const [result] = await evidenceService.recordFollowUps(
      entityRefOf(req.params),
      [req.body as FollowUpInput],
      credentials,
    );
    await respondWithRecord(res, result);
  });

  api.get('/entities/:kind/:namespace/:name/follow-ups', async (req, res) => {
    const credentials = await credentialsOf(req);
    res.json(
      await evidenceService.listFollowUps(
        entityRefOf(req.params),
        pageFromQuery(req.query),
        credentials,
      ),
    );
  });

  api.post(
    '/entities/:kind/:namespace/:name/follow-ups/batch',
    async (req, res) => {
      const credentials = await credentialsOf(req);
      await respondWithRecords(
        res,
        await evidenceService.recordFollowUps(
          entityRefOf(req.params),
          req.body.items as FollowUpInput[],
          credentials,
        ),
      );
    },
  );

  api.get('/summary', async (req, res) => {
    const credentials = await credentialsOf(req);
    res.json(await overview.summary(filtersFromQuery(req.query), credentials));
  });

  api.get('/entities', async (req, res) => {
    const credentials = await credentialsOf(req);
    res.json(
      await overview.list(
        filtersFromQuery(req.query),
        {
          sort: (req.query.sort as BackupOverviewSort) ?? 'most-overdue',
          ...pageFromQuery(req.query),
        },
        credentials,
      ),
    );
  });

  // the catalog table asks once per page, not once per row
  api.post('/entities/by-refs', async (req, res) => {
    const credentials = await credentialsOf(req);
    const entityRefs = entityRefsFromBody(req.body.entityRefs as string[]);
    res.json({ items: await overview.rowsByRefs(entityRefs, credentials) });
  });

  api.get('/trends', async (req, res) => {
    const credentials = await credentialsOf(req);
    const { from, to } = periodFromQuery(req.query, 90, new Date());
    // trends are stored per owner group: show the groups the caller can see
    const visibleOwners = (
      await options.entities.queryVisible(
        {
          filter: { kind: ['group', 'user'] },
          fields: ['kind', 'metadata.name', 'metadata.namespace'],
        },
        credentials,
      )
    ).map(owner => stringifyEntityRef(owner));
    const owners =
      typeof req.query.owner === 'string'
        ? visibleOwners.filter(owner => owner === req.query.owner)
        : visibleOwners;
    const trends: BackupTrends = {
      from,
      to,
      points: await options.snapshots.read({ from, to, owners }),
    };
    res.json(trends);
  });

  api.get('/export', async (req, res) => {
    const credentials = await credentialsOf(req);
    await exportEvidencePack(req, res, credentials, {
      auditor,
      permissions: options.permissions,
      policy: options.policy,
      store: options.store,
      overview,
      limiter: options.exportLimiter,
      logger: options.logger,
      period: query => periodFromQuery(query, 365, new Date()),
    });
  });

  api.get(
    '/entities/:kind/:namespace/:name/evidence/verify',
    async (req, res) => {
      const credentials = await credentialsOf(req);
      const entityRef = entityRefOf(req.params);
      res.json(await evidenceService.verify(entityRef, credentials));
    },
  );

  const router = Router();
  // a batch is audited as one event naming every record
  router.post(
    [
      '/entities/:kind/:namespace/:name/restore-tests',
      '/entities/:kind/:namespace/:name/restore-tests/batch',
    ],
    startAudit(auditor, 'restore-test-create'),
  );
  router.post(
    [
      '/entities/:kind/:namespace/:name/backup-runs',
      '/entities/:kind/:namespace/:name/backup-runs/batch',
    ],
    startAudit(auditor, 'backup-run-create'),
  );
  router.post(
    [
      '/entities/:kind/:namespace/:name/access-reviews',
      '/entities/:kind/:namespace/:name/access-reviews/batch',
    ],
    startAudit(auditor, 'access-review-create'),
  );
  router.post(
    [
      '/entities/:kind/:namespace/:name/follow-ups',
      '/entities/:kind/:namespace/:name/follow-ups/batch',
    ],
    startAudit(auditor, 'follow-up-create'),
  );
  router.use(api);
  // unknown routes answer like every other error of the API
  router.use((req, _res, next) =>
    next(new NotFoundError(`No such route: ${req.method} under /api/backup`)),
  );
  router.use(createErrorTranslator(options.logger));
  router.use(failAudit);
  return router;
}
