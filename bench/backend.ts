// The backend the benchmark measures: the catalog and the backup plugin,
// started by bench/overview.ts as a process of its own (so that its memory is
// measured alone) with the config file it writes: `--config <file>`.
import { createBackend } from '@backstage/backend-defaults';

const backend = createBackend();
backend.add(import('@backstage/plugin-catalog-backend'));
backend.add(import('@backstage/plugin-permission-backend'));
backend.add(
  import('@backstage/plugin-permission-backend-module-allow-all-policy'),
);
backend.add(import('@backup-assurance/plugin-backup-backend'));
backend.start();
