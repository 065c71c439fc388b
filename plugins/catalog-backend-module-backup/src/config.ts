import { Config } from '@backstage/config';

/**
 * What the catalog does with in-scope entities lacking required annotations.
 *
 * @public
 */
export type MissingAnnotationsEnforcement = 'off' | 'warning' | 'error';

const KEY = 'backup.enforcement.missingAnnotations';
const VALUES: Record<string, MissingAnnotationsEnforcement> = {
  off: 'off',
  warn: 'warning',
  error: 'error',
};

/**
 * Reads `backup.enforcement.missingAnnotations` (`off`, `warn` or `error`;
 * default `off`); an unknown value stops start-up naming the key.
 */
export function readMissingAnnotationsEnforcement(
  config: Config,
): MissingAnnotationsEnforcement {
  const value = config.getOptionalString(KEY) ?? 'off';
  const mode = VALUES[value];
  if (!mode) {
    throw new Error(
      `Invalid config ${KEY}: "${value}" is not one of ${Object.keys(
        VALUES,
      ).join(', ')}`,
    );
  }
  return mode;
}
