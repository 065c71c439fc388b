import { CompoundEntityRef } from '@backstage/catalog-model';
import { useApi } from '@backstage/core-plugin-api';
import {
  RESTORE_TEST_RESULTS,
  RestoreTestRecord,
  VALIDATION_OUTCOMES,
  VALIDATION_STEP_TYPES,
  ValidationOutcome,
  ValidationStepType,
} from '@backup-assurance/plugin-backup-common';
import { Grid, MenuItem, TextField } from '@material-ui/core';
import { backupApiRef } from '../../api';
import { EvidenceFormDialog, useEvidenceForm } from '../EvidenceFormDialog';
import {
  emptyRestoreTestForm,
  RestoreTestForm,
  restoreTestFormProblems,
  toRestoreTestInput,
} from './restoreTestForm';

const RESULT_LABELS: Record<string, string> = {
  succeeded: 'Succeeded',
  failed: 'Failed',
  partial: 'Partly succeeded',
};

const STEP_LABELS: Record<ValidationStepType, string> = {
  integrity: 'Integrity check (backup not corrupted)',
  recoverability:
    'Recoverability (actual restore into a controlled environment)',
  application: 'Application validation (starts, data readable, access works)',
};

const OUTCOME_LABELS: Record<ValidationOutcome, string> = {
  passed: 'Passed',
  failed: 'Failed',
  'not-performed': 'Not performed',
};

export interface RecordRestoreTestDialogProps {
  entityRef: CompoundEntityRef;
  open: boolean;
  onClose: () => void;
  onRecorded: (record: RestoreTestRecord) => void;
}

/** A form for people to record a restore test they performed. */
export const RecordRestoreTestDialog = (
  props: RecordRestoreTestDialogProps,
) => {
  const { entityRef, open, onClose, onRecorded } = props;
  const backupApi = useApi(backupApiRef);
  const state = useEvidenceForm({
    idPrefix: 'restore-test',
    empty: emptyRestoreTestForm,
    problemsOf: restoreTestFormProblems,
    submit: (form: RestoreTestForm) =>
      backupApi.recordRestoreTest(entityRef, toRestoreTestInput(form)),
    onRecorded,
  });
  const { form, setForm, field } = state;

  return (
    <EvidenceFormDialog
      title="Record restore test"
      intro={
        <>
          Record a restore you performed: what was restored, how it was
          validated, and what went wrong. Records cannot be edited; to correct
          one, record a new test.
        </>
      }
      recording="the restore test"
      open={open}
      onClose={onClose}
      state={state}
    >
      <Grid item xs={12} sm={4}>
        {field('startedAt', 'Started', { type: 'datetime-local' })}
      </Grid>
      <Grid item xs={12} sm={4}>
        {field('completedAt', 'Completed', { type: 'datetime-local' })}
      </Grid>
      <Grid item xs={12} sm={4}>
        {field('recoveryPointAt', 'Recovery point (optional)', {
          type: 'datetime-local',
          helperText: 'Time of the backup that was restored',
        })}
      </Grid>
      <Grid item xs={12} sm={4}>
        {field('result', 'Result', {
          select: true,
          children: RESTORE_TEST_RESULTS.map(result => (
            <MenuItem key={result} value={result}>
              {RESULT_LABELS[result]}
            </MenuItem>
          )),
        })}
      </Grid>
      <Grid item xs={12} sm={8}>
        {field('executor', 'Executed by')}
      </Grid>
      <Grid item xs={12}>
        {field('scope', 'What was restored', { multiline: true })}
      </Grid>
      {VALIDATION_STEP_TYPES.map(step => (
        <Grid item xs={12} sm={4} key={step}>
          <TextField
            id={`restore-test-validation-${step}`}
            select
            label={STEP_LABELS[step]}
            value={form.validation[step]}
            onChange={event =>
              setForm(current => ({
                ...current,
                validation: {
                  ...current.validation,
                  [step]: event.target.value as ValidationOutcome,
                },
              }))
            }
            fullWidth
            margin="dense"
            InputLabelProps={{ shrink: true }}
          >
            {VALIDATION_OUTCOMES.map(outcome => (
              <MenuItem key={outcome} value={outcome}>
                {OUTCOME_LABELS[outcome]}
              </MenuItem>
            ))}
          </TextField>
        </Grid>
      ))}
      <Grid item xs={12}>
        {field('evidenceUrl', 'Evidence link (optional)', {
          helperText: 'Ticket, runbook execution, log or report',
        })}
      </Grid>
      <Grid item xs={12} sm={6}>
        {field('issuesFound', 'Issues found (optional)', {
          multiline: true,
        })}
      </Grid>
      <Grid item xs={12} sm={6}>
        {field('remediation', 'Remediation (optional)', {
          multiline: true,
        })}
      </Grid>
    </EvidenceFormDialog>
  );
};
