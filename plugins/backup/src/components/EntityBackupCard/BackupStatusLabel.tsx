import {
  StatusAborted,
  StatusError,
  StatusOK,
  StatusPending,
  StatusWarning,
} from '@backstage/core-components';
import {
  BACKUP_STATUS_LABELS,
  BackupStatus,
} from '@backup-assurance/plugin-backup-common';
import { ComponentType, PropsWithChildren } from 'react';

const STATUS_ICONS: Record<
  BackupStatus,
  ComponentType<PropsWithChildren<{}>>
> = {
  compliant: StatusOK,
  'due-soon': StatusWarning,
  overdue: StatusError,
  'non-compliant': StatusError,
  incomplete: StatusError,
  invalid: StatusError,
  exempt: StatusPending,
  'out-of-scope': StatusAborted,
};

/** The status in words, with the matching Backstage status colour. */
export const BackupStatusLabel = ({ status }: { status: BackupStatus }) => {
  const Icon = STATUS_ICONS[status];
  return (
    <span data-testid="backup-status" data-status={status}>
      <Icon>{BACKUP_STATUS_LABELS[status]}</Icon>
    </span>
  );
};

/** How many entities have a status, in the status's colour: "2 Overdue". */
export const BackupStatusCount = ({
  status,
  count,
}: {
  status: BackupStatus;
  count: number;
}) => {
  const Icon = STATUS_ICONS[status];
  return (
    <span data-testid={`backup-status-count-${status}`}>
      <Icon>{`${count} ${BACKUP_STATUS_LABELS[status]}`}</Icon>
    </span>
  );
};
