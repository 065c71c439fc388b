import {
  AuditorService,
  AuditorServiceEvent,
  HttpAuthService,
} from '@backstage/backend-plugin-api';
import { createValidatedOpenApiRouter } from '@backstage/backend-openapi-utils';
import {
  CompoundEntityRef,
  makeValidator,
  stringifyEntityRef,
} from '@backstage/catalog-model';
import { InputError } from '@backstage/errors';
import {
  BackupRunInput,
  EVIDENCE_LIMITS,
  RestoreTestInput,
} from '@backup-assurance/plugin-backup-common';
import express, { ErrorRequestHandler, Request, Response } from 'express';
import Router from 'express-promise-router';
import { spec } from '../schema/openapi';
import { BackupStatusService } from './BackupStatusService';
import { EvidenceService } from './EvidenceService';

const validator = makeValidator();

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

function pageFromQuery(query: { limit?: unknown; offset?: unknown }) {
  return {
    limit: Number(query.limit ?? EVIDENCE_LIMITS.defaultPageSize),
    offset: Number(query.offset ?? 0),
  };
}

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

const failAudit: ErrorRequestHandler = async (error, _req, res, next) => {
  await auditEventOf(res)?.fail({ error });
  next(error);
};

export interface RouterOptions {
  httpAuth: HttpAuthService;
  auditor: AuditorService;
  statusService: BackupStatusService;
  evidenceService: EvidenceService;
}

export async function createRouter(
  options: RouterOptions,
): Promise<express.Router> {
  const { httpAuth, auditor, statusService, evidenceService } = options;
  // typed routes narrow `req`; authentication only needs its headers
  const credentialsOf = (req: Request<any, any, any, any>) =>
    httpAuth.credentials(req, { allow: ['user', 'service'] });

  const api = createValidatedOpenApiRouter<typeof spec>(spec);

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
      const entityRef = stringifyEntityRef(entityRefFromParams(req.params));
      const { record, created } = await evidenceService.recordRestoreTest(
        entityRef,
        req.body as RestoreTestInput,
        credentials,
      );
      await auditEventOf(res)?.success({
        meta: { entityRef: record.entityRef, recordId: record.id, created },
      });
      res.status(created ? 201 : 200).json(record);
    },
  );

  api.get(
    '/entities/:kind/:namespace/:name/restore-tests',
    async (req, res) => {
      const credentials = await credentialsOf(req);
      const entityRef = stringifyEntityRef(entityRefFromParams(req.params));
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
    res.json(await evidenceService.getRestoreTest(req.params.id, credentials));
  });

  api.post('/entities/:kind/:namespace/:name/backup-runs', async (req, res) => {
    const credentials = await credentialsOf(req);
    const entityRef = stringifyEntityRef(entityRefFromParams(req.params));
    const { record, created } = await evidenceService.recordBackupRun(
      entityRef,
      req.body as BackupRunInput,
      credentials,
    );
    await auditEventOf(res)?.success({
      meta: { entityRef: record.entityRef, recordId: record.id, created },
    });
    res.status(created ? 201 : 200).json(record);
  });

  api.get('/entities/:kind/:namespace/:name/backup-runs', async (req, res) => {
    const credentials = await credentialsOf(req);
    const entityRef = stringifyEntityRef(entityRefFromParams(req.params));
    res.json(
      await evidenceService.listBackupRuns(
        entityRef,
        pageFromQuery(req.query),
        credentials,
      ),
    );
  });

  api.get(
    '/entities/:kind/:namespace/:name/evidence/verify',
    async (req, res) => {
      const credentials = await credentialsOf(req);
      const entityRef = stringifyEntityRef(entityRefFromParams(req.params));
      res.json(await evidenceService.verify(entityRef, credentials));
    },
  );

  const router = Router();
  router.post(
    '/entities/:kind/:namespace/:name/restore-tests',
    startAudit(auditor, 'restore-test-create'),
  );
  router.post(
    '/entities/:kind/:namespace/:name/backup-runs',
    startAudit(auditor, 'backup-run-create'),
  );
  router.use(api);
  router.use(failAudit);
  return router;
}
