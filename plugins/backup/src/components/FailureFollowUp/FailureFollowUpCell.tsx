import {
  Link,
  StatusError,
  StatusOK,
  StatusPending,
  StatusWarning,
  TableColumn,
} from '@backstage/core-components';
import {
  BackupPolicy,
  FollowUpAction,
  FollowUpRecord,
} from '@backup-assurance/plugin-backup-common';
import { Box, Button, Typography } from '@material-ui/core';
import { formatDate } from '../EntityBackupCard/format';
import {
  acknowledgeBy,
  FailureFollowUps,
  FollowedFailure,
  followUpStateOf,
  isAcknowledgementOverdue,
} from './failureFollowUps';

/** What the follow-up column of a table needs besides its rows. */
export interface FollowUpContext {
  followUpsOf: (failure: FollowedFailure) => FailureFollowUps;
  window: BackupPolicy['failureAcknowledgeWithin'];
  now: Date;
  /** Whether the user may acknowledge and resolve failures. */
  canFollowUp: boolean;
  onFollowUp: (failure: FollowedFailure, action: FollowUpAction) => void;
}

/** The ticket as a link, shown without its scheme. */
const TicketLink = ({ url }: { url: string }) => (
  <Link to={url}>{url.replace(/^https?:\/\//, '')}</Link>
);

/** Who acted (as they said, else the signed-in user) and on which day. */
const ByWhom = ({ record }: { record: FollowUpRecord }) => (
  <Typography variant="caption" display="block">
    by {record.by ?? record.recordedBy} on {formatDate(record.at)}
  </Typography>
);

const ActionButton = (props: { label: string; onClick: () => void }) => (
  <Box mt={0.5}>
    <Button
      size="small"
      variant="outlined"
      color="primary"
      onClick={props.onClick}
    >
      {props.label}
    </Button>
  </Box>
);

const NotAcknowledged = (props: {
  failure: FollowedFailure;
  overdue: boolean;
  context: FollowUpContext;
}) => {
  const { failure, overdue, context } = props;
  const deadline = formatDate(acknowledgeBy(failure, context.window));
  return (
    <>
      {overdue ? (
        <StatusError>Not acknowledged</StatusError>
      ) : (
        <StatusWarning>Not acknowledged</StatusWarning>
      )}
      <Typography variant="caption" display="block">
        {overdue ? `Overdue since ${deadline}` : `Acknowledge by ${deadline}`}
      </Typography>
      {context.canFollowUp && (
        <ActionButton
          label="Acknowledge"
          onClick={() => context.onFollowUp(failure, 'acknowledged')}
        />
      )}
    </>
  );
};

const Acknowledged = (props: {
  failure: FollowedFailure;
  record: FollowUpRecord;
  context: FollowUpContext;
}) => {
  const { failure, record, context } = props;
  return (
    <>
      <StatusPending>Acknowledged</StatusPending>
      {record.ticketUrl && (
        <>
          {' — '}
          <TicketLink url={record.ticketUrl} />
        </>
      )}
      <ByWhom record={record} />
      {context.canFollowUp && (
        <ActionButton
          label="Resolve"
          onClick={() => context.onFollowUp(failure, 'resolved')}
        />
      )}
    </>
  );
};

const Resolved = (props: { record: FollowUpRecord; ticketUrl?: string }) => (
  <>
    <StatusOK>Resolved</StatusOK> — <span>{props.record.resolution}</span>
    <ByWhom record={props.record} />
    {props.ticketUrl && (
      <Typography variant="caption" display="block">
        Ticket: <TicketLink url={props.ticketUrl} />
      </Typography>
    )}
  </>
);

/**
 * How a failure was followed up: not acknowledged (in red once the policy's
 * window has passed), acknowledged with its ticket, or resolved with its
 * note; with the next step for those allowed to take it.
 */
export const FailureFollowUpCell = (props: {
  failure: FollowedFailure;
  context: FollowUpContext;
}) => {
  const { failure, context } = props;
  const followUps = context.followUpsOf(failure);
  const { acknowledged, resolved } = followUps;
  const state = followUpStateOf(followUps);
  const overdue = isAcknowledgementOverdue(
    failure,
    followUps,
    context.window,
    context.now,
  );
  return (
    <Box
      data-testid="follow-up"
      data-state={state}
      data-overdue={String(overdue)}
    >
      {state === 'unacknowledged' && (
        <NotAcknowledged
          failure={failure}
          overdue={overdue}
          context={context}
        />
      )}
      {state === 'acknowledged' && acknowledged && (
        <Acknowledged
          failure={failure}
          record={acknowledged}
          context={context}
        />
      )}
      {state === 'resolved' && resolved && (
        <Resolved
          record={resolved}
          ticketUrl={resolved.ticketUrl ?? acknowledged?.ticketUrl}
        />
      )}
    </Box>
  );
};

/** A table column with the follow-up of each failed row; `—` on the others. */
export function followUpColumn<T extends object>(
  failureOf: (row: T) => FollowedFailure | undefined,
  context: FollowUpContext,
): TableColumn<T> {
  return {
    title: 'Follow-up',
    // wide enough for the state, a ticket link and a button on a few lines
    cellStyle: { minWidth: 220 },
    headerStyle: { minWidth: 220 },
    render: row => {
      const failure = failureOf(row);
      return failure ? (
        <FailureFollowUpCell failure={failure} context={context} />
      ) : (
        '—'
      );
    },
  };
}
