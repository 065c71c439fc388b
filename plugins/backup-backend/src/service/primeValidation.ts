import {
  AuthService,
  DiscoveryService,
  LoggerService,
} from '@backstage/backend-plugin-api';
import { spec } from '../schema/openapi';

/** A query parameter no route declares: the validator answers 400. */
const UNDECLARED = 'prime-validation=1';

/** Each read route with sample path parameters, from the OpenAPI document. */
export const primedPaths = (): string[] =>
  Object.entries(spec.paths)
    .filter(([, operations]) => 'get' in operations)
    .map(([path]) => `${path.replace(/\{[^}]+\}/g, 'x')}?${UNDECLARED}`);

/**
 * Sends every read route one request that its validation rejects, once the
 * backend is up, with the plugin's own token: the OpenAPI validator builds
 * itself on the first request and compiles each route's schema on that
 * route's first, which would otherwise fall on the first users. No handler
 * runs and nothing is audited (write routes are left alone: their rejected
 * requests are audited).
 */
export async function primeRequestValidation(options: {
  discovery: DiscoveryService;
  auth: AuthService;
  logger: LoggerService;
}): Promise<void> {
  const { discovery, auth, logger } = options;
  try {
    const baseUrl = await discovery.getBaseUrl('backup');
    const { token } = await auth.getPluginRequestToken({
      onBehalfOf: await auth.getOwnServiceCredentials(),
      targetPluginId: 'backup',
    });
    for (const path of primedPaths()) {
      const response = await fetch(`${baseUrl}${path}`, {
        headers: { Authorization: `Bearer ${token}` },
      });
      await response.arrayBuffer();
    }
  } catch (error) {
    // only the first users' latency is at stake
    logger.debug(`Request validation not primed: ${error}`);
  }
}
