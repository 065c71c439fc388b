// Test-only: the real backup plugin and catalog on a real port, with the
// static tokens a CI job would get (README "Recording from CI").
import { authServiceFactory } from '@backstage/backend-defaults/auth';
import { httpAuthServiceFactory } from '@backstage/backend-defaults/httpAuth';
import { permissionsServiceFactory } from '@backstage/backend-defaults/permissions';
import { mockServices, startTestBackend } from '@backstage/backend-test-utils';
import catalogPlugin from '@backstage/plugin-catalog-backend';
import { JsonObject } from '@backstage/types';
import backupPlugin from '@backup-assurance/plugin-backup-backend';
import { Agent, get } from 'node:http';
import { resolve } from 'node:path';

export const TOKENS = {
  /** What the README tells a CI job to use: write backup evidence only. */
  writer: 'cli-writer-token-0123456789',
  /** Reads evidence back for the assertions. */
  reader: 'cli-reader-token-0123456789',
  /** Valid, but for another permission: answers 403 to the CLI. */
  reviewer: 'cli-reviewer-token-0123456789',
};

const staticToken = (token: string, subject: string, permission: string[]) => ({
  type: 'static',
  options: { token, subject },
  accessRestrictions: [{ plugin: 'backup', permission }],
});

export interface CliTestBackend {
  url: string;
  /** GET under /api/backup with the reader token. */
  read(path: string): Promise<any>;
  stop(): Promise<void>;
}

// Jest's set-up blocks fetch and the global agent in tests: use an own agent.
const agent = new Agent();

function getJson(url: string): Promise<{ status: number; body: any }> {
  return new Promise((resolvePromise, reject) => {
    get(
      url,
      { agent, headers: { Authorization: `Bearer ${TOKENS.reader}` } },
      res => {
        let text = '';
        res.on('data', chunk => {
          text += chunk;
        });
        res.on('end', () =>
          resolvePromise({
            status: res.statusCode ?? 0,
            body: JSON.parse(text),
          }),
        );
      },
    ).on('error', reject);
  });
}

async function waitForEntity(backend: CliTestBackend, entityPath: string) {
  for (let attempt = 0; attempt < 150; attempt++) {
    const res = await getJson(`${backend.url}/api/backup${entityPath}/status`);
    if (res.status === 200) return;
    await new Promise(r => setTimeout(r, 200));
  }
  throw new Error(`the catalog never processed ${entityPath}`);
}

/**
 * Starts the backend and waits until the catalog knows the fixture entities;
 * `backup` is the backup plugin's config (its policy, say).
 */
export async function startCliTestBackend(
  entityPaths: string[],
  backup: JsonObject = {},
): Promise<CliTestBackend> {
  const testBackend = await startTestBackend({
    features: [
      backupPlugin,
      catalogPlugin,
      authServiceFactory,
      httpAuthServiceFactory,
      permissionsServiceFactory,
      mockServices.rootConfig.factory({
        data: {
          backup,
          backend: {
            auth: {
              externalAccess: [
                staticToken(TOKENS.writer, 'ci-backup-evidence', [
                  'backup.restore-test.create',
                  'backup.backup-run.create',
                ]),
                staticToken(TOKENS.reader, 'auditor', ['backup.evidence.read']),
                staticToken(TOKENS.reviewer, 'access-reviews', [
                  'backup.access-review.create',
                ]),
              ],
            },
          },
          catalog: {
            rules: [{ allow: ['Resource', 'Location'] }],
            locations: [
              {
                type: 'file',
                target: resolve(__dirname, '../__fixtures__/entities.yaml'),
              },
            ],
          },
        },
      }),
    ],
  });
  const { port } = testBackend.server.address() as { port: number };
  const backend: CliTestBackend = {
    url: `http://127.0.0.1:${port}`,
    async read(path) {
      const res = await getJson(`${backend.url}/api/backup${path}`);
      if (res.status !== 200) throw new Error(`GET ${path}: ${res.status}`);
      return res.body;
    },
    stop: () => testBackend.stop(),
  };
  for (const entityPath of entityPaths)
    await waitForEntity(backend, entityPath);
  return backend;
}
