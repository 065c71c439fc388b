export { RecordRestoreTestDialog } from './RecordRestoreTestDialog';
