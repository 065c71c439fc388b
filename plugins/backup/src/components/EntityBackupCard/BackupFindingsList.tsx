import {
  List,
  ListItem,
  ListItemIcon,
  ListItemText,
  Typography,
} from '@material-ui/core';
import ErrorIcon from '@material-ui/icons/ErrorOutline';
import InfoIcon from '@material-ui/icons/InfoOutlined';
import WarningIcon from '@material-ui/icons/ReportProblemOutlined';
import {
  BackupFinding,
  BackupFindingSeverity,
} from '@backup-assurance/plugin-backup-common';

const SEVERITY_ICONS: Record<BackupFindingSeverity, JSX.Element> = {
  error: <ErrorIcon color="error" titleAccess="Must fix" />,
  warning: (
    <WarningIcon style={{ color: '#b26a00' }} titleAccess="Should fix" />
  ),
  info: <InfoIcon color="action" titleAccess="Note" />,
};

/** The findings as a to-do list, most severe first. */
export const BackupFindingsList = ({
  findings,
}: {
  findings: BackupFinding[];
}) => {
  if (findings.length === 0) {
    return (
      <Typography variant="body2" data-testid="backup-findings-empty">
        Nothing to do: every policy rule is met.
      </Typography>
    );
  }
  const order: BackupFindingSeverity[] = ['error', 'warning', 'info'];
  const sorted = [...findings].sort(
    (a, b) => order.indexOf(a.severity) - order.indexOf(b.severity),
  );
  return (
    <List dense aria-label="What to do" data-testid="backup-findings">
      {sorted.map(finding => (
        <ListItem key={`${finding.code}:${finding.annotation ?? ''}`}>
          <ListItemIcon>{SEVERITY_ICONS[finding.severity]}</ListItemIcon>
          <ListItemText
            primary={finding.message}
            secondary={finding.annotation}
          />
        </ListItem>
      ))}
    </List>
  );
};
