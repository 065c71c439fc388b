export { followUpColumn } from './FailureFollowUpCell';
export type { FollowUpContext } from './FailureFollowUpCell';
export {
  failureOfBackupRun,
  failureOfRestoreTest,
  followUpsByFailure,
} from './failureFollowUps';
export type { FollowedFailure } from './failureFollowUps';
export { readFollowUps } from './readFollowUps';
