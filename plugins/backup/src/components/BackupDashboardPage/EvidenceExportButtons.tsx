import { InfoCard } from '@backstage/core-components';
import { useApi } from '@backstage/core-plugin-api';
import { ResponseError } from '@backstage/errors';
import { usePermission } from '@backstage/plugin-permission-react';
import { backupEvidenceExportPermission } from '@backup-assurance/plugin-backup-common';
import { Box, Button, Grid, TextField, Typography } from '@material-ui/core';
import { Alert } from '@material-ui/lab';
import { DateTime } from 'luxon';
import { useState } from 'react';
import { backupApiRef, EvidenceExportFormat } from '../../api';

const FORMATS: { format: EvidenceExportFormat; label: string }[] = [
  { format: 'csv', label: 'Download CSV' },
  { format: 'json', label: 'Download JSON' },
];

const NOT_ALLOWED = `You may not download the evidence pack: it needs the ${backupEvidenceExportPermission.name} permission. Ask your Backstage administrator for it.`;

/** Dated by the day of download, in UTC like every date on the dashboard. */
const fileNameOf = (format: EvidenceExportFormat) =>
  `backup-evidence-${DateTime.utc().toISODate()}.${format}`;

/** Hands the file to the browser as a download. */
function saveFile(file: Blob, fileName: string) {
  const url = URL.createObjectURL(file);
  const link = document.createElement('a');
  link.href = url;
  link.download = fileName;
  document.body.appendChild(link);
  link.click();
  link.remove();
  // Revoked after the click has been handled, or the download may not start.
  setTimeout(() => URL.revokeObjectURL(url), 0);
}

const problemOf = (error: unknown) => {
  if (error instanceof ResponseError && error.statusCode === 403) {
    return NOT_ALLOWED;
  }
  const message = error instanceof Error ? error.message : String(error);
  return `The evidence pack could not be downloaded: ${message}`;
};

const DayInput = ({
  id,
  label,
  value,
  onChange,
}: {
  id: string;
  label: string;
  value: string;
  onChange: (value: string) => void;
}) => (
  <TextField
    id={id}
    type="date"
    label={label}
    value={value}
    onChange={event => onChange(event.target.value)}
    InputLabelProps={{ shrink: true }}
    size="small"
    fullWidth
  />
);

/**
 * Downloads the evidence pack for auditors (policy, backup register,
 * restore-test records) as CSV or JSON, optionally for a period.
 */
export const EvidenceExportButtons = () => {
  const backupApi = useApi(backupApiRef);
  const permission = usePermission({
    permission: backupEvidenceExportPermission,
  });
  const [from, setFrom] = useState('');
  const [to, setTo] = useState('');
  const [busy, setBusy] = useState(false);
  const [problem, setProblem] = useState<string>();

  const download = async (format: EvidenceExportFormat) => {
    setBusy(true);
    setProblem(undefined);
    try {
      const file = await backupApi.exportEvidence({
        format,
        from: from || undefined,
        to: to || undefined,
      });
      saveFile(file, fileNameOf(format));
    } catch (error) {
      setProblem(problemOf(error));
    } finally {
      setBusy(false);
    }
  };

  const denied = !permission.loading && !permission.allowed;
  return (
    <InfoCard title="Evidence for auditors">
      <Box data-testid="backup-export">
        <Typography variant="body2" paragraph>
          The policy, the backup register and the restore-test records. Leave
          the dates empty for every record.
        </Typography>
        <Grid container spacing={2}>
          <Grid item xs={6}>
            <DayInput
              id="backup-export-from"
              label="From"
              value={from}
              onChange={setFrom}
            />
          </Grid>
          <Grid item xs={6}>
            <DayInput
              id="backup-export-to"
              label="To"
              value={to}
              onChange={setTo}
            />
          </Grid>
          {FORMATS.map(({ format, label }) => (
            <Grid item key={format}>
              <Button
                variant="outlined"
                color="primary"
                disabled={busy || permission.loading || denied}
                onClick={() => download(format)}
                data-testid={`backup-export-${format}`}
              >
                {label}
              </Button>
            </Grid>
          ))}
        </Grid>
        {denied && (
          <Box mt={2}>
            <Alert severity="info">{NOT_ALLOWED}</Alert>
          </Box>
        )}
        {problem && (
          <Box mt={2}>
            <Alert severity="error">{problem}</Alert>
          </Box>
        )}
      </Box>
    </InfoCard>
  );
};
