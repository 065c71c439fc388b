/**
 * The backup-assurance contract: annotation keys, the profile parser, the
 * agreed backup policy and the status evaluator, shared by every package of
 * the suite so that a rule exists in one place only.
 *
 * @packageDocumentation
 */

export {
  BACKUP_ANNOTATION_PREFIX,
  BACKUP_ANNOTATIONS,
  BACKUP_METHODS,
  DATA_CLASSIFICATIONS,
  ENCRYPTION_LEVELS,
  backupFieldOfAnnotation,
  shortAnnotationName,
} from './annotations';
export type {
  BackupAnnotation,
  BackupField,
  BackupMethod,
  DataClassification,
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
  evaluateBackupStatus,
  isInBackupScope,
} from './evaluate';
export type {
  BackupEvaluation,
  BackupEvidenceSummary,
  BackupFinding,
  BackupFindingCode,
  BackupFindingSeverity,
} from './evaluate';
export { backupAnnotationsSnippet } from './snippet';
export {
  BACKUP_METHOD_LABELS,
  DATA_CLASSIFICATION_LABELS,
  ENCRYPTION_LABELS,
} from './labels';
export {
  backupBackupRunCreatePermission,
  backupEvidenceExportPermission,
  backupEvidenceReadPermission,
  backupPermissions,
  backupRestoreTestCreatePermission,
} from './permissions';
export {
  BACKUP_RUN_OUTCOMES,
  EVIDENCE_LIMITS,
  EVIDENCE_SOURCE_PATTERN,
  RESTORE_TEST_RESULTS,
  VALIDATION_OUTCOMES,
  VALIDATION_STEP_TYPES,
  backupRunInputProblems,
  restoreTestInputProblems,
} from './evidence';
export type {
  BackupRunInput,
  BackupRunOutcome,
  BackupRunRecord,
  EvidenceChainReport,
  EvidenceInputProblem,
  EvidencePage,
  EvidenceRecordMeta,
  EvidenceVerification,
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
