import { createBackend } from '@backstage/backend-defaults';
import { backupModuleDemoEvidence } from './demo/demoEvidenceModule';

const backend = createBackend();

backend.add(import('@backstage/plugin-app-backend'));

// Sign-in: guest for local use (see app-config.yaml)
backend.add(import('@backstage/plugin-auth-backend'));
backend.add(import('@backstage/plugin-auth-backend-module-guest-provider'));

// Catalog, with the backup annotation validator
backend.add(import('@backstage/plugin-catalog-backend'));
backend.add(import('@backstage/plugin-catalog-backend-module-logs'));
backend.add(import('@backup-assurance/plugin-catalog-backend-module-backup'));

// Permissions: allow-all by default; replace the policy module in production
backend.add(import('@backstage/plugin-permission-backend'));
backend.add(
  import('@backstage/plugin-permission-backend-module-allow-all-policy'),
);

// Notifications (signals deliver them live to the browser)
backend.add(import('@backstage/plugin-notifications-backend'));
backend.add(import('@backstage/plugin-signals-backend'));

// The backup-assurance suite
backend.add(import('@backup-assurance/plugin-backup-backend'));

// Demo portal only: restore-test and backup-run history posted through the
// backup API at start-up (see backup.demo.evidenceFile in app-config.yaml)
backend.add(backupModuleDemoEvidence);

backend.start();
