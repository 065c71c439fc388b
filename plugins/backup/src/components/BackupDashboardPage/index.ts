export { BackupDashboardPage } from './BackupDashboardPage';
