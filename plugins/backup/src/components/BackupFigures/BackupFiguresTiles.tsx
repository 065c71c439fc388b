import {
  BackupCoverage,
  BackupFigures,
  EXEMPTION_WARNING_DAYS,
} from '@backup-assurance/plugin-backup-common';
import { Grid, Paper, Typography } from '@material-ui/core';
import { formatPercent } from '../EntityBackupCard/format';

interface Tile {
  id: string;
  title: string;
  value: string;
  detail: string;
}

/** For figures from before a measure existed (old daily snapshots). */
const NOT_MEASURED = 'not measured in these figures';

const coverageTile = (
  id: string,
  title: string,
  coverage: BackupCoverage | undefined,
  of: string,
): Tile => {
  if (!coverage) return { id, title, value: '—', detail: NOT_MEASURED };
  return {
    id,
    title,
    value: formatPercent(coverage.ratio),
    detail:
      coverage.total === 0
        ? `no ${of}`
        : `${coverage.count} of ${coverage.total} ${of}`,
  };
};

const countTile = (
  id: string,
  title: string,
  count: number | undefined,
  detail: string,
): Tile =>
  count === undefined
    ? { id, title, value: '—', detail: NOT_MEASURED }
    : { id, title, value: String(count), detail };

const tilesOf = (figures: BackupFigures): Tile[] => [
  coverageTile(
    'valid-annotations',
    'Valid backup annotations',
    figures.coverage.validAnnotations,
    'in-scope entities',
  ),
  coverageTile(
    'restore-test-in-policy',
    'Restore test inside policy',
    figures.coverage.restoreTestInPolicy,
    'in-scope entities',
  ),
  coverageTile(
    'pii-encrypted',
    'PII with encrypted backups',
    figures.coverage.piiEncrypted,
    'in-scope PII entities',
  ),
  coverageTile(
    'pii-access-controlled',
    'PII backups access-controlled',
    figures.coverage.piiAccessControlled,
    'in-scope PII entities',
  ),
  countTile(
    'overdue',
    'Restore tests overdue',
    figures.overdue,
    'entities past due or never tested',
  ),
  countTile(
    'pii-without-encryption',
    'PII without encryption',
    figures.piiWithoutEncryption,
    'entities holding PII with unencrypted backups',
  ),
  countTile(
    'pii-without-access-control',
    'PII without access control',
    figures.piiWithoutAccessControl,
    'entities holding PII whose backups lack access controls or a current review',
  ),
  countTile(
    'exemptions-expiring',
    'Exemptions expiring',
    figures.exemptionsExpiringSoon,
    `within ${EXEMPTION_WARNING_DAYS} days`,
  ),
];

/**
 * The headline figures of a set of entities: coverage ratios as percentages
 * with "count of total", and the counts that need action.
 */
export const BackupFiguresTiles = ({
  figures,
  dense = false,
}: {
  figures: BackupFigures;
  /** For a card rather than a full-width page. */
  dense?: boolean;
}) => (
  <Grid container spacing={2}>
    {tilesOf(figures).map(tile => (
      <Grid
        item
        key={tile.id}
        xs={6}
        md={dense ? 6 : 3}
        data-testid={`backup-tile-${tile.id}`}
      >
        <Paper variant="outlined" style={{ padding: 12, height: '100%' }}>
          <Typography variant="body2" color="textSecondary">
            {tile.title}
          </Typography>
          <Typography
            variant="h4"
            component="p"
            data-testid={`backup-tile-${tile.id}-value`}
          >
            {tile.value}
          </Typography>
          <Typography variant="caption">{tile.detail}</Typography>
        </Paper>
      </Grid>
    ))}
  </Grid>
);
