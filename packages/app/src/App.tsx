import { createApp } from '@backstage/frontend-defaults';
import catalogPlugin from '@backstage/plugin-catalog/alpha';
import { catalogModuleBackupColumn } from '@backup-assurance/plugin-backup/alpha';
import { navModule } from './modules/nav';

// Plugins listed in package.json are discovered through `app.packages: all`;
// the catalog is named here because the nav module arranges its page, and the
// backup plugin's catalog module because discovery loads only default exports.
export default createApp({
  features: [catalogPlugin, navModule, catalogModuleBackupColumn],
});
