import { CompoundEntityRef } from '@backstage/catalog-model';
import { useApi } from '@backstage/core-plugin-api';
import {
  ACCESS_REVIEW_OUTCOMES,
  AccessReviewOutcome,
  AccessReviewRecord,
  EVIDENCE_LIMITS,
} from '@backup-assurance/plugin-backup-common';
import { Grid, MenuItem } from '@material-ui/core';
import { backupApiRef } from '../../api';
import { EvidenceFormDialog, useEvidenceForm } from '../EvidenceFormDialog';
import {
  AccessReviewForm,
  accessReviewFormProblems,
  emptyAccessReviewForm,
  toAccessReviewInput,
} from './accessReviewForm';

/** Each outcome of an access review, in words. */
export const ACCESS_REVIEW_OUTCOME_LABELS: Record<AccessReviewOutcome, string> =
  {
    confirmed: 'Access confirmed as it is',
    changed: 'Access changed in the review',
  };

export interface RecordAccessReviewDialogProps {
  entityRef: CompoundEntityRef;
  /** The administrators the entity declares, to start the list from. */
  declaredAdmins?: string[];
  open: boolean;
  onClose: () => void;
  onRecorded: (record: AccessReviewRecord) => void;
}

/** A form for people to record a review of who can delete backups. */
export const RecordAccessReviewDialog = (
  props: RecordAccessReviewDialogProps,
) => {
  const { entityRef, declaredAdmins, open, onClose, onRecorded } = props;
  const backupApi = useApi(backupApiRef);
  const state = useEvidenceForm({
    idPrefix: 'access-review',
    empty: () => emptyAccessReviewForm(declaredAdmins),
    problemsOf: accessReviewFormProblems,
    submit: (form: AccessReviewForm) =>
      backupApi.recordAccessReview(entityRef, toAccessReviewInput(form)),
    onRecorded,
  });
  const { field } = state;

  return (
    <EvidenceFormDialog
      title="Record access review"
      intro={
        <>
          Record a review of who can delete backups or disable backup jobs: who
          holds those rights after the review, and whether the review changed
          them. Records cannot be edited; to correct one, record a new review.
        </>
      }
      recording="the access review"
      open={open}
      onClose={onClose}
      state={state}
    >
      <Grid item xs={12} sm={4}>
        {field('reviewedAt', 'Reviewed', { type: 'datetime-local' })}
      </Grid>
      <Grid item xs={12} sm={4}>
        {field('reviewer', 'Reviewed by')}
      </Grid>
      <Grid item xs={12} sm={4}>
        {field('outcome', 'Outcome', {
          select: true,
          children: ACCESS_REVIEW_OUTCOMES.map(outcome => (
            <MenuItem key={outcome} value={outcome}>
              {ACCESS_REVIEW_OUTCOME_LABELS[outcome]}
            </MenuItem>
          )),
        })}
      </Grid>
      <Grid item xs={12}>
        {field('admins', 'Who can delete backups or disable backup jobs', {
          multiline: true,
          minRows: 2,
          helperText: `One per line or comma: groups, users or roles, e.g. group:default/backup-admins (at most ${EVIDENCE_LIMITS.accessReviewAdmins})`,
        })}
      </Grid>
      <Grid item xs={12}>
        {field('evidenceUrl', 'Evidence link (optional)', {
          helperText: 'Review ticket, access report or sign-off',
        })}
      </Grid>
      <Grid item xs={12}>
        {field('notes', 'Notes (optional)', {
          multiline: true,
          helperText: 'What was removed or narrowed, and why',
        })}
      </Grid>
    </EvidenceFormDialog>
  );
};
