import { stringifyEntityRef } from '@backstage/catalog-model';
import {
  InfoCard,
  Progress,
  ResponseErrorPanel,
} from '@backstage/core-components';
import { useApi, useRouteRef } from '@backstage/core-plugin-api';
import { useEntity } from '@backstage/plugin-catalog-react';
import { Box, Typography } from '@material-ui/core';
import useAsync from 'react-use/esm/useAsync';
import { backupApiRef } from '../../api';
import { rootRouteRef } from '../../routes';
import { BackupFiguresTiles, BackupStatusCounts } from '../BackupFigures';

const TITLE = 'Backup coverage';

/**
 * The backup figures of everything the current group owns, with a link to the
 * dashboard filtered to the group.
 *
 * @public
 */
export const EntityBackupCoverageCard = () => {
  const { entity } = useEntity();
  const owner = stringifyEntityRef(entity);
  const backupApi = useApi(backupApiRef);
  const dashboardPath = useRouteRef(rootRouteRef)();
  const { value, loading, error } = useAsync(
    () => backupApi.getSummary({ owner }),
    [backupApi, owner],
  );

  if (loading) {
    return (
      <InfoCard title={TITLE}>
        <Progress />
      </InfoCard>
    );
  }
  if (error || !value) {
    return <ResponseErrorPanel error={error ?? new Error('No summary')} />;
  }
  return (
    <InfoCard
      title={TITLE}
      subheader={`${value.total} entities owned by ${
        entity.metadata.title ?? entity.metadata.name
      }, against backup policy ${value.policy.version}`}
      deepLink={{
        title: 'Open in the backup dashboard',
        link: `${dashboardPath}?${new URLSearchParams({ owner })}`,
      }}
    >
      {value.total === 0 ? (
        <Typography variant="body2">
          This group owns no components or resources, so there is no backup to
          report.
        </Typography>
      ) : (
        <>
          <BackupFiguresTiles figures={value} dense />
          <Box mt={2}>
            <Typography variant="subtitle2">Entities by status</Typography>
            <BackupStatusCounts counts={value.counts} />
          </Box>
        </>
      )}
    </InfoCard>
  );
};
