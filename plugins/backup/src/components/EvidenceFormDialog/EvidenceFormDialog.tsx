import {
  Button,
  Dialog,
  DialogActions,
  DialogContent,
  DialogTitle,
  Grid,
  TextField,
  Typography,
} from '@material-ui/core';
import { ResponseError } from '@backstage/errors';
import { ChangeEvent, ReactNode, useState } from 'react';

type TextFieldProps = Parameters<typeof TextField>[0];

/** The backend's own reason rather than "Request failed with 400". */
const reasonOf = (error: unknown) => {
  if (error instanceof ResponseError && error.cause?.message) {
    return error.cause.message;
  }
  return error instanceof Error ? error.message : String(error);
};

/**
 * The state of a dialog that records one evidence record: the fields as
 * typed, their problems once Record was pressed, and the backend's refusal.
 */
export function useEvidenceForm<F extends object, R>(options: {
  /** Prefix of the fields' ids, e.g. `restore-test`. */
  idPrefix: string;
  empty: () => F;
  problemsOf: (form: F, now: Date) => Record<string, string>;
  submit: (form: F) => Promise<R>;
  onRecorded: (record: R) => void;
}) {
  const { idPrefix, empty, problemsOf, submit, onRecorded } = options;
  const [form, setForm] = useState<F>(empty);
  const [submitted, setSubmitted] = useState(false);
  const [saving, setSaving] = useState(false);
  const [serverError, setServerError] = useState<string>();

  const problems = problemsOf(form, new Date());
  const shown: Record<string, string> = submitted ? problems : {};

  /** A text field bound to a string property of the form. */
  const field = (
    name: keyof F & string,
    label: string,
    extra: Partial<TextFieldProps> = {},
  ) => (
    <TextField
      fullWidth
      margin="dense"
      InputLabelProps={{ shrink: true }}
      {...extra}
      id={`${idPrefix}-${name}`}
      label={label}
      value={form[name] as unknown as string}
      onChange={(event: ChangeEvent<{ value: unknown }>) =>
        setForm(current => ({
          ...current,
          [name]: String(event.target.value),
        }))
      }
      error={!!shown[name]}
      helperText={shown[name] ?? extra.helperText}
    />
  );

  const save = async () => {
    setSubmitted(true);
    setServerError(undefined);
    if (Object.keys(problems).length > 0) return;
    setSaving(true);
    try {
      const record = await submit(form);
      setForm(empty());
      setSubmitted(false);
      onRecorded(record);
    } catch (error) {
      setServerError(reasonOf(error));
    } finally {
      setSaving(false);
    }
  };

  return { form, setForm, field, save, saving, serverError };
}

/** The frame of a record dialog: title, intro, fields, refusal, actions. */
export const EvidenceFormDialog = (props: {
  title: string;
  intro: ReactNode;
  /** What is recorded, for the refusal: "the restore test". */
  recording: string;
  open: boolean;
  onClose: () => void;
  state: Pick<
    ReturnType<typeof useEvidenceForm>,
    'save' | 'saving' | 'serverError'
  >;
  children: ReactNode;
}) => {
  const { title, intro, recording, open, onClose, state, children } = props;
  return (
    <Dialog open={open} onClose={onClose} maxWidth="md" fullWidth>
      <DialogTitle>{title}</DialogTitle>
      <DialogContent>
        <Typography variant="body2" paragraph>
          {intro}
        </Typography>
        <Grid container spacing={2}>
          {children}
        </Grid>
        {state.serverError && (
          <Typography color="error" role="alert">
            Could not record {recording}: {state.serverError}
          </Typography>
        )}
      </DialogContent>
      <DialogActions>
        <Button onClick={onClose}>Cancel</Button>
        <Button
          onClick={state.save}
          color="primary"
          variant="contained"
          disabled={state.saving}
        >
          Record
        </Button>
      </DialogActions>
    </Dialog>
  );
};
