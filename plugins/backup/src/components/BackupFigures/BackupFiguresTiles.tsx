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

const coverageTile = (
  id: string,
  title: string,
  coverage: BackupCoverage,
  of: string,
): Tile => ({
  id,
  title,
  value: formatPercent(coverage.ratio),
  detail:
    coverage.total === 0
      ? `no ${of}`
      : `${coverage.count} of ${coverage.total} ${of}`,
});

const countTile = (
  id: string,
  title: string,
  count: number,
  detail: string,
): Tile => ({ id, title, value: String(count), detail });

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
        md={4}
        lg={dense ? 4 : 2}
        data-testid={`backup-tile-${tile.id}`}
      >
        <Paper variant="outlined" style={{ padding: 12, height: '100%' }}>
          <Typography variant="body2" color="textSecondary">
            {tile.title}
          </Typography>
          <Typography variant="h4" component="p">
            {tile.value}
          </Typography>
          <Typography variant="caption">{tile.detail}</Typography>
        </Paper>
      </Grid>
    ))}
  </Grid>
);
