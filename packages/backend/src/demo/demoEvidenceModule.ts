import {
  coreServices,
  createBackendModule,
} from '@backstage/backend-plugin-api';
import { parseEntityRef } from '@backstage/catalog-model';
import { resolve as resolvePath } from 'path';
import { readDemoEvidence } from './demoEvidence';

const RETRY_DELAY_MS = 3000;
const MAX_ATTEMPTS = 60;

/**
 * Demo portal only: posts examples/evidence.yaml through the backup API once
 * the backend is up, as a machine caller would. Enabled by
 * `backup.demo.evidenceFile`; idempotent through external ids.
 */
export const backupModuleDemoEvidence = createBackendModule({
  pluginId: 'backup',
  moduleId: 'demo-evidence',
  register(env) {
    env.registerInit({
      deps: {
        config: coreServices.rootConfig,
        auth: coreServices.auth,
        discovery: coreServices.discovery,
        logger: coreServices.logger,
        lifecycle: coreServices.lifecycle,
      },
      async init({ config, auth, discovery, logger, lifecycle }) {
        const file = config.getOptionalString('backup.demo.evidenceFile');
        if (!file) return;

        const seed = async () => {
          const baseUrl = await discovery.getBaseUrl('backup');
          const submissions = readDemoEvidence(resolvePath(file), new Date());
          const recordIds = new Map<string, string>();
          for (const submission of submissions) {
            const ref = parseEntityRef(submission.entityRef);
            const path = `${baseUrl}/entities/${ref.kind}/${ref.namespace}/${ref.name}/${submission.type}s`;
            const body =
              submission.type === 'restore-test' && submission.correctionOf
                ? {
                    ...submission.input,
                    supersedes: recordIds.get(submission.correctionOf),
                  }
                : submission.input;
            for (let attempt = 1; ; attempt++) {
              const { token } = await auth.getPluginRequestToken({
                onBehalfOf: await auth.getOwnServiceCredentials(),
                targetPluginId: 'backup',
              });
              const response = await fetch(path, {
                method: 'POST',
                headers: {
                  Authorization: `Bearer ${token}`,
                  'Content-Type': 'application/json',
                },
                body: JSON.stringify(body),
              });
              if (response.ok) {
                recordIds.set(submission.id, (await response.json()).id);
                break;
              }
              // 404 until the catalog has ingested the demo entities
              if (response.status !== 404 || attempt >= MAX_ATTEMPTS) {
                throw new Error(
                  `Demo evidence ${submission.id}: ${
                    response.status
                  } ${await response.text()}`,
                );
              }
              await new Promise(r => setTimeout(r, RETRY_DELAY_MS));
            }
          }
          logger.info(`Demo evidence posted: ${submissions.length} records`);
        };

        lifecycle.addStartupHook(() => {
          seed().catch(error =>
            logger.warn(`Demo evidence not posted: ${error}`),
          );
        });
      },
    });
  },
});
