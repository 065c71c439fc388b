import { TableOptions } from '@backstage/core-components';

/**
 * Options of the Backup tab's evidence tables: every column inside the card
 * at 1,400 px (fixed layout, headers that wrap) rather than behind a
 * horizontal scrollbar below the last row that nobody sees.
 */
export const compactTableOptions: TableOptions<any> = {
  paging: false,
  search: false,
  padding: 'dense',
  tableLayout: 'fixed',
  headerStyle: { whiteSpace: 'normal', overflowWrap: 'anywhere' },
};
