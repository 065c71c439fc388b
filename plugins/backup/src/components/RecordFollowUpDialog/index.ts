export { RecordFollowUpDialog } from './RecordFollowUpDialog';
