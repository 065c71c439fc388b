import { Link } from '@backstage/core-components';
import {
  ACCESS_LOGGING_LABELS,
  backupAccessControlsRequired,
  BackupEvaluation,
  BackupPolicy,
  DELETION_PROTECTION_LABELS,
} from '@backup-assurance/plugin-backup-common';
import { Box, Typography } from '@material-ui/core';
import { ReactNode } from 'react';
import { BackupAdminList } from './BackupAdminList';
import { formatDate } from './format';

/** Whether the policy requires the entity's backups to be access-controlled. */
const isRequired = (evaluation: BackupEvaluation, policy?: BackupPolicy) =>
  !!policy &&
  evaluation.status !== 'out-of-scope' &&
  backupAccessControlsRequired(evaluation.profile, policy);

/** Whether any access control is declared or recorded. */
const isDeclared = ({ profile, lastAccessReview }: BackupEvaluation) =>
  [
    profile.backupAdmins,
    profile.deletionProtection,
    profile.accessLogging,
    profile.accessReviewEvidence,
    lastAccessReview,
  ].some(value => value !== undefined && value !== null);

/** When the next review is due, in words: "now" once that has passed. */
function nextReviewDue({
  lastAccessReview,
  nextAccessReviewDue,
  evaluatedAt,
}: BackupEvaluation): string | undefined {
  if (!lastAccessReview) return 'now (no access review recorded)';
  // none is due when the review is dated in the future: a finding says so
  if (!nextAccessReviewDue) return undefined;
  return Date.parse(nextAccessReviewDue) <= Date.parse(evaluatedAt)
    ? `now (was due ${formatDate(nextAccessReviewDue)})`
    : formatDate(nextAccessReviewDue);
}

const Line = ({
  testId,
  label,
  children,
}: {
  testId: string;
  label: string;
  children: ReactNode;
}) => (
  <Typography variant="body2" data-testid={testId}>
    {label}: <strong>{children}</strong>
  </Typography>
);

const NOT_DECLARED = 'not declared';

/**
 * Who can delete the entity's backups or disable its backup jobs, what stops
 * a deletion, whether access is logged, and when that access was reviewed.
 * Shown when the policy requires access controls or any are declared.
 */
export const BackupAccessControls = ({
  evaluation,
  policy,
}: {
  evaluation: BackupEvaluation;
  /** Without it, the section appears only for declared access controls. */
  policy?: BackupPolicy;
}) => {
  const required = isRequired(evaluation, policy);
  if (!required && !isDeclared(evaluation)) {
    return null;
  }
  const { profile } = evaluation;
  const nextDue = required && nextReviewDue(evaluation);
  return (
    <Box mt={2} data-testid="backup-access-controls">
      <Typography variant="subtitle2">Access to backups</Typography>
      <Line testId="backup-admins" label="Who can delete backups">
        {profile.backupAdmins ? (
          <BackupAdminList admins={profile.backupAdmins} />
        ) : (
          NOT_DECLARED
        )}
      </Line>
      <Line testId="backup-deletion-protection" label="Deletion protection">
        {profile.deletionProtection
          ? DELETION_PROTECTION_LABELS[profile.deletionProtection]
          : NOT_DECLARED}
      </Line>
      <Line testId="backup-access-logging" label="Access logging">
        {profile.accessLogging
          ? ACCESS_LOGGING_LABELS[profile.accessLogging]
          : NOT_DECLARED}
      </Line>
      <Typography variant="body2" data-testid="backup-last-access-review">
        Last access review:{' '}
        {evaluation.lastAccessReview ? (
          <>
            <strong>{formatDate(evaluation.lastAccessReview)}</strong> (
            {evaluation.lastAccessReviewSource === 'record'
              ? 'recorded in the portal'
              : 'from the annotation'}
            )
          </>
        ) : (
          <strong>none recorded</strong>
        )}
        {evaluation.lastAccessReviewSource === 'annotation' &&
          profile.accessReviewEvidence && (
            <>
              {' '}
              <Link to={profile.accessReviewEvidence}>evidence</Link>
            </>
          )}
      </Typography>
      {nextDue && (
        <Line testId="backup-next-access-review" label="Next access review due">
          {nextDue}
        </Line>
      )}
    </Box>
  );
};
