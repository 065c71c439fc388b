// The backend the benchmark measures, started by bench/overview.ts as a
// process of its own (so that its memory is measured alone) with the config
// files it writes: `--config <file> [--config <file>]`. BENCH_BACKEND picks
// the plugins:
//   all      the catalog, the permission backend and the backup plugin
//   catalog  the catalog alone (process A of a split deployment)
//   backup   the backup plugin and the permission backend (process B), which
//            finds the catalog of process A through `discovery.endpoints`
// With the backup plugin comes bench/seedModule.ts, which seeds evidence
// when a bench asks (BENCH_SEED_DIR).
import { createBackend } from '@backstage/backend-defaults';
import { benchSeedModule } from './seedModule';

const plugins = process.env.BENCH_BACKEND ?? 'all';
if (!['all', 'catalog', 'backup'].includes(plugins)) {
  throw new Error(`BENCH_BACKEND must be all, catalog or backup: ${plugins}`);
}

const backend = createBackend();
if (plugins !== 'backup') {
  backend.add(import('@backstage/plugin-catalog-backend'));
}
if (plugins !== 'catalog') {
  backend.add(import('@backstage/plugin-permission-backend'));
  backend.add(
    import('@backstage/plugin-permission-backend-module-allow-all-policy'),
  );
  backend.add(import('@backup-assurance/plugin-backup-backend'));
  // seeds evidence through the evidence service when the bench asks
  backend.add(benchSeedModule);
}
backend.start();
