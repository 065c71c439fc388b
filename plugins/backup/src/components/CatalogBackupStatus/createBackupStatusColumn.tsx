import { TableColumn } from '@backstage/core-components';
import { CatalogTableRow } from '@backstage/plugin-catalog';
import { BackupStatusCell } from './BackupStatusCell';

/**
 * A "Backup" column for the catalog table: each row's backup status, linking
 * to the entity's Backup tab. The visible rows are fetched in one request.
 *
 * @example
 * ```tsx
 * <CatalogIndexPage
 *   columns={context => [
 *     ...CatalogTable.defaultColumnsFunc(context),
 *     createBackupStatusColumn(),
 *   ]}
 * />
 * ```
 *
 * @public
 */
export function createBackupStatusColumn(
  options: { title?: string } = {},
): TableColumn<CatalogTableRow> {
  return {
    title: options.title ?? 'Backup',
    sorting: false,
    render: ({ entity }) => <BackupStatusCell entity={entity} />,
  };
}
