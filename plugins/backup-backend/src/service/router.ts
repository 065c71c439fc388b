import { HttpAuthService } from '@backstage/backend-plugin-api';
import { CompoundEntityRef, makeValidator } from '@backstage/catalog-model';
import { InputError } from '@backstage/errors';
import express from 'express';
import Router from 'express-promise-router';
import { BackupStatusService } from './BackupStatusService';

const validator = makeValidator();

/** Reads and validates the `:kind/:namespace/:name` route parameters. */
function entityRefFromParams(
  params: Record<string, string>,
): CompoundEntityRef {
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

export interface RouterOptions {
  httpAuth: HttpAuthService;
  statusService: BackupStatusService;
}

export async function createRouter(
  options: RouterOptions,
): Promise<express.Router> {
  const { httpAuth, statusService } = options;
  const router = Router();
  router.use(express.json());

  router.get('/health', (_req, res) => {
    res.json({ status: 'ok' });
  });

  router.get('/policy', async (req, res) => {
    await httpAuth.credentials(req, { allow: ['user', 'service'] });
    res.json(statusService.getPolicy());
  });

  router.get('/entities/:kind/:namespace/:name/status', async (req, res) => {
    const credentials = await httpAuth.credentials(req, {
      allow: ['user', 'service'],
    });
    const entityRef = entityRefFromParams(req.params);
    res.json(await statusService.getStatus(entityRef, credentials));
  });

  return router;
}
