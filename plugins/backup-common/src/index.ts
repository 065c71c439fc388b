/**
 * The backup-assurance contract: annotation keys, the profile parser, the
 * agreed backup policy and the status evaluator, shared by every package of
 * the suite so that a rule exists in one place only.
 *
 * @packageDocumentation
 */

export {
  ACCESS_LOGGING_LEVELS,
  AWS_BACKUP_RESOURCE_ARN_ANNOTATION,
  BACKUP_ANNOTATION_PREFIX,
  BACKUP_ANNOTATIONS,
  BACKUP_METHODS,
  DATA_CLASSIFICATIONS,
  DELETION_PROTECTIONS,
  ENCRYPTION_LEVELS,
  backupFieldOfAnnotation,
  shortAnnotationName,
} from './annotations';
export type {
  AccessLoggingLevel,
  BackupAnnotation,
  BackupField,
  BackupMethod,
  DataClassification,
  DeletionProtection,
  EncryptionLevel,
} from './annotations';
export { parseBackupProfile, profileKey } from './profile';
export type {
  BackupFieldError,
  BackupProfile,
  ParsedBackupProfile,
} from './profile';
export {
  BackupPolicyConfigError,
  DEFAULT_BACKUP_POLICY,
  readBackupPolicy,
} from './policy';
export type { BackupPolicy, BackupScopeRule } from './policy';
export { BACKUP_STATUS_LABELS, BACKUP_STATUS_PRECEDENCE } from './status';
export type { BackupStatus } from './status';
export {
  BACKUP_FINDING_STATUS,
  backupAccessControlsRequired,
  evaluateBackupStatus,
  failureAcknowledgeDeadline,
  isInBackupScope,
} from './evaluate';
export type {
  BackupEvaluation,
  BackupEvaluationContext,
  BackupEvidenceSummary,
  BackupFinding,
  BackupFindingCode,
  BackupFindingSeverity,
  FailureFollowUpState,
} from './evaluate';
export { toBackupEntityRow } from './entityRow';
export { BACKUP_FINDING_SOURCES } from './findingSources';
export type { BackupFindingSource } from './findingSources';
export { backupAnnotationsSnippet } from './snippet';
export {
  ACCESS_LOGGING_LABELS,
  BACKUP_METHOD_LABELS,
  DATA_CLASSIFICATION_LABELS,
  DELETION_PROTECTION_LABELS,
  ENCRYPTION_LABELS,
} from './labels';
export {
  backupAccessReviewCreatePermission,
  backupBackupRunCreatePermission,
  backupEvidenceExportPermission,
  backupEvidenceReadPermission,
  backupFollowUpCreatePermission,
  backupPermissions,
  backupRestoreTestCreatePermission,
} from './permissions';
export {
  ACCESS_REVIEW_OUTCOMES,
  BACKUP_RUN_OUTCOMES,
  EVIDENCE_LIMITS,
  EVIDENCE_SOURCE_PATTERN,
  FOLLOW_UP_ACTIONS,
  FOLLOW_UP_FAILURE_KINDS,
  RESTORE_TEST_RESULTS,
  VALIDATION_OUTCOMES,
  VALIDATION_STEP_TYPES,
  accessReviewInputProblems,
  backupRunInputProblems,
  followUpInputProblems,
  restoreTestInputProblems,
  textInputProblems,
} from './evidence';
export { EARLIEST_INSTANT, parseIsoDateTime, parseIsoDay } from './values';
export type {
  AccessReviewInput,
  AccessReviewOutcome,
  AccessReviewRecord,
  BackupRunInput,
  BackupRunOutcome,
  BackupRunRecord,
  EvidenceChainReport,
  EvidenceInputProblem,
  EvidencePage,
  EvidenceRecordMeta,
  EvidenceVerification,
  FollowUpAction,
  FollowUpFailureKind,
  FollowUpInput,
  FollowUpRecord,
  RestoreTestInput,
  RestoreTestRecord,
  RestoreTestResult,
  ValidationOutcome,
  ValidationStep,
  ValidationStepType,
} from './evidence';
export {
  BACKUP_OVERVIEW_SORTS,
  EXEMPTION_WARNING_DAYS,
  PII_CLASSIFICATIONS,
  computeBackupFigures,
  groupBackupFigures,
  matchesBackupFilters,
  sortBackupRows,
} from './overview';
export type {
  BackupCoverage,
  BackupCoverageFigures,
  BackupEntityPage,
  BackupEntityRow,
  BackupFigures,
  BackupOverviewFilters,
  BackupOverviewSort,
  BackupSummary,
  BackupSummaryGroup,
  BackupTrendPoint,
  BackupTrends,
} from './overview';
