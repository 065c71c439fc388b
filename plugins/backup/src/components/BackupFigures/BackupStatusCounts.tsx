import {
  BACKUP_STATUS_PRECEDENCE,
  BackupStatus,
} from '@backup-assurance/plugin-backup-common';
import { List, ListItem, ListItemText } from '@material-ui/core';
import { BackupStatusLabel } from '../EntityBackupCard/BackupStatusLabel';

// Healthiest first, as people read a status breakdown top-down.
const DISPLAY_ORDER = [...BACKUP_STATUS_PRECEDENCE].reverse();

/** How many entities are in each status; statuses nobody is in are left out. */
export const BackupStatusCounts = ({
  counts,
}: {
  counts: Record<BackupStatus, number>;
}) => (
  <List
    dense
    aria-label="Entities by status"
    data-testid="backup-status-counts"
  >
    {DISPLAY_ORDER.filter(status => counts[status] > 0).map(status => (
      <ListItem key={status} data-status={status}>
        <ListItemText primary={<BackupStatusLabel status={status} />} />
        <strong>{counts[status]}</strong>
      </ListItem>
    ))}
  </List>
);
