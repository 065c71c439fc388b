import { Entity, stringifyEntityRef } from '@backstage/catalog-model';
import { Link } from '@backstage/core-components';
import { useApi, useRouteRef } from '@backstage/core-plugin-api';
import {
  entityRouteParams,
  entityRouteRef,
} from '@backstage/plugin-catalog-react';
import Typography from '@material-ui/core/Typography';
import useAsync from 'react-use/esm/useAsync';
import { backupApiRef } from '../../api';
import { BackupStatusLabel } from '../EntityBackupCard/BackupStatusLabel';
import { backupRowLoaderFor } from './BackupRowLoader';

/** The path of the entity page's Backup tab, below the entity page. */
const BACKUP_TAB_PATH = 'backup';

/**
 * One entity's backup status, linking to its Backup tab. The row comes from
 * a batch shared by every cell of the table.
 */
export const BackupStatusCell = ({ entity }: { entity: Entity }) => {
  const api = useApi(backupApiRef);
  const entityRoute = useRouteRef(entityRouteRef);
  const entityRef = stringifyEntityRef(entity);
  const { value: row, error } = useAsync(
    () => backupRowLoaderFor(api).load(entityRef),
    [api, entityRef],
  );
  if (error) {
    return (
      <Typography variant="body2" color="error" title={error.message}>
        Unavailable
      </Typography>
    );
  }
  if (!row) {
    return null;
  }
  return (
    <Link
      to={`${entityRoute(entityRouteParams(entity))}/${BACKUP_TAB_PATH}`}
      data-testid="catalog-backup-status"
    >
      <BackupStatusLabel status={row.status} />
    </Link>
  );
};
