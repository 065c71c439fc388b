import { CompoundEntityRef } from '@backstage/catalog-model';
import { useApi } from '@backstage/core-plugin-api';
import {
  FollowUpAction,
  FollowUpRecord,
} from '@backup-assurance/plugin-backup-common';
import { Grid } from '@material-ui/core';
import { backupApiRef } from '../../api';
import { formatDate } from '../EntityBackupCard/format';
import { EvidenceFormDialog, useEvidenceForm } from '../EvidenceFormDialog';
import { FollowedFailure } from '../FailureFollowUp';
import {
  emptyFollowUpForm,
  FollowUpForm,
  followUpFormProblems,
  toFollowUpInput,
} from './followUpForm';

const FAILURE_WORDS: Record<FollowedFailure['kind'], string> = {
  'backup-run': 'backup run',
  'restore-test': 'restore test',
};

export interface RecordFollowUpDialogProps {
  entityRef: CompoundEntityRef;
  failure: FollowedFailure;
  /** Acknowledge the failure with a ticket, or resolve it with a note. */
  action: FollowUpAction;
  open: boolean;
  onClose: () => void;
  onRecorded: (record: FollowUpRecord) => void;
}

/** A form to acknowledge a failure with its ticket, or to resolve it. */
export const RecordFollowUpDialog = (props: RecordFollowUpDialogProps) => {
  const { entityRef, failure, action, open, onClose, onRecorded } = props;
  const backupApi = useApi(backupApiRef);
  const state = useEvidenceForm({
    idPrefix: 'follow-up',
    empty: emptyFollowUpForm,
    problemsOf: followUpFormProblems(failure, action),
    submit: (form: FollowUpForm) =>
      backupApi.recordFollowUp(
        entityRef,
        toFollowUpInput(form, failure, action, new Date()),
      ),
    onRecorded,
  });
  const what = `The ${FAILURE_WORDS[failure.kind]} that failed on ${formatDate(
    failure.failedAt,
  )}`;
  const acknowledging = action === 'acknowledged';

  return (
    <EvidenceFormDialog
      title={acknowledging ? 'Acknowledge failure' : 'Resolve failure'}
      intro={
        acknowledging
          ? `${what}: link the ticket that tracks it. Follow-ups cannot be edited; a later one takes their place.`
          : `${what}: say how it was resolved, so that the next person and the auditor know it was fixed.`
      }
      recording={acknowledging ? 'the acknowledgement' : 'the resolution'}
      open={open}
      onClose={onClose}
      state={state}
    >
      <Grid item xs={12}>
        {acknowledging
          ? state.field('ticketUrl', 'Ticket link', {
              helperText: 'The incident or ticket tracking the failure',
            })
          : state.field('resolution', 'Resolution', {
              multiline: true,
              minRows: 2,
              helperText: 'The cause, and what was done about it',
            })}
      </Grid>
    </EvidenceFormDialog>
  );
};
