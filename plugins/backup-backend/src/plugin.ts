import {
  coreServices,
  createBackendPlugin,
} from '@backstage/backend-plugin-api';
import { catalogServiceRef } from '@backstage/plugin-catalog-node';
import { notificationService } from '@backstage/plugin-notifications-node';
import {
  backupPermissions,
  readBackupPolicy,
} from '@backup-assurance/plugin-backup-common';
import { backupEvidenceCollectorExtensionPoint } from '@backup-assurance/plugin-backup-node';
import { DatabaseEvidenceStore } from './database/DatabaseEvidenceStore';
import { DatabaseSnapshotStore } from './database/SnapshotStore';
import {
  readEvidenceConfig,
  readExportConfig,
  readSnapshotsConfig,
  readNotificationsConfig,
} from './config';
import {
  DatabaseSentReminderStore,
  DefaultBackupReminders,
  scheduleBackupReminders,
} from './reminders';
import { BackupOverviewService } from './service/BackupOverviewService';
import { DefaultBackupStatusService } from './service/BackupStatusService';
import {
  EvidenceCollectorRegistry,
  EvidenceCollectorRunner,
} from './service/collectors';
import { EntityReader } from './service/entityAccess';
import { EvidenceService } from './service/EvidenceService';
import { createExportLimiter } from './service/exportRoute';
import { createRouter } from './service/router';
import { scheduleBackupRunRetention } from './service/retention';
import { primeRequestValidation } from './service/primeValidation';
import { scheduleDailySnapshot } from './service/snapshots';
import { scheduleEvaluationWarmUp } from './service/warmEvaluations';

/**
 * The `backup` backend plugin: backup status per entity against the agreed
 * backup policy, and the restore-test and backup-run evidence behind it.
 *
 * @public
 */
export const backupPlugin = createBackendPlugin({
  pluginId: 'backup',
  register(env) {
    const collectors = new EvidenceCollectorRegistry();
    env.registerExtensionPoint(
      backupEvidenceCollectorExtensionPoint,
      collectors,
    );
    env.registerInit({
      deps: {
        config: coreServices.rootConfig,
        logger: coreServices.logger,
        auth: coreServices.auth,
        database: coreServices.database,
        scheduler: coreServices.scheduler,
        httpAuth: coreServices.httpAuth,
        httpRouter: coreServices.httpRouter,
        auditor: coreServices.auditor,
        permissions: coreServices.permissions,
        permissionsRegistry: coreServices.permissionsRegistry,
        catalog: catalogServiceRef,
        notifications: notificationService,
        discovery: coreServices.discovery,
        lifecycle: coreServices.lifecycle,
      },
      async init(deps) {
        const { config, logger, httpRouter, catalog, permissions } = deps;
        // Read once: an invalid policy stops start-up with the key named.
        const policy = readBackupPolicy(config);
        const evidenceConfig = readEvidenceConfig(config);
        const exportLimiter = createExportLimiter(readExportConfig(config));
        const notificationsConfig = readNotificationsConfig(config);
        const snapshotsConfig = readSnapshotsConfig(config);
        logger.info(`Backup policy ${policy.version} loaded`);

        deps.permissionsRegistry.addPermissions(backupPermissions);
        const store = await DatabaseEvidenceStore.create({
          database: deps.database,
        });
        await scheduleBackupRunRetention({
          scheduler: deps.scheduler,
          logger,
          store,
          retention: evidenceConfig.backupRunRetention,
        });

        const entities = EntityReader.create({ catalog, auth: deps.auth });
        const evidenceService = EvidenceService.create({
          store,
          entities,
          permissions,
        });
        await EvidenceCollectorRunner.create({
          evidence: evidenceService,
          auth: deps.auth,
          logger,
        }).schedule(deps.scheduler, collectors.list());
        const overview = BackupOverviewService.create({
          entities,
          store,
          policy,
        });
        await scheduleEvaluationWarmUp({
          scheduler: deps.scheduler,
          logger,
          overview,
        });
        const snapshots = await DatabaseSnapshotStore.create({
          database: deps.database,
        });
        await scheduleDailySnapshot({
          scheduler: deps.scheduler,
          logger,
          overview,
          snapshots,
          backfillDays: snapshotsConfig.backfillDays,
        });
        if (notificationsConfig.enabled) {
          await scheduleBackupReminders({
            scheduler: deps.scheduler,
            logger,
            schedule: notificationsConfig.schedule,
            reminders: DefaultBackupReminders.create({
              overview,
              entities,
              store,
              policy,
              notifications: deps.notifications,
              sentReminders: await DatabaseSentReminderStore.create({
                database: deps.database,
                lease: notificationsConfig.schedule.timeout,
              }),
              config: notificationsConfig,
              logger,
            }),
          });
        }
        httpRouter.use(
          await createRouter({
            logger,
            exportLimiter,
            httpAuth: deps.httpAuth,
            auditor: deps.auditor,
            permissions,
            policy,
            store,
            snapshots,
            entities,
            overview,
            statusService: DefaultBackupStatusService.create({
              entities,
              store,
              policy,
            }),
            evidenceService,
          }),
        );
        httpRouter.addAuthPolicy({ path: '/health', allow: 'unauthenticated' });
        deps.lifecycle.addStartupHook(() => {
          // in the background: start-up does not wait for it
          primeRequestValidation({
            discovery: deps.discovery,
            auth: deps.auth,
            logger,
          });
        });
      },
    });
  },
});
