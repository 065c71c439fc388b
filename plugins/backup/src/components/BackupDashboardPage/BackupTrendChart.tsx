import {
  InfoCard,
  Progress,
  ResponseErrorPanel,
} from '@backstage/core-components';
import { useApi } from '@backstage/core-plugin-api';
import { BackupOverviewFilters } from '@backup-assurance/plugin-backup-common';
import { Box, TextField, Typography, useTheme } from '@material-ui/core';
import { DateTime } from 'luxon';
import useAsync from 'react-use/esm/useAsync';
import {
  CartesianGrid,
  Legend,
  Line,
  LineChart,
  ResponsiveContainer,
  Tooltip,
  XAxis,
  YAxis,
} from 'recharts';
import { backupApiRef } from '../../api';
import { formatDate, formatPercent } from '../EntityBackupCard/format';
import {
  COVERAGE_MEASURES,
  CoverageMeasure,
  DailyCoverage,
  orgTrend,
} from './orgTrend';
import { TREND_PERIODS } from './useDashboardFilters';

const MEASURE_LABELS: Record<CoverageMeasure, string> = {
  validAnnotations: 'Valid backup annotations',
  restoreTestInPolicy: 'Restore test inside policy',
  piiEncrypted: 'PII with encrypted backups',
  piiAccessControlled: 'PII backups access-controlled',
};

/**
 * Each measure from the first to the last day it was measured on, in words
 * for every reader.
 */
const TrendSummary = ({ days }: { days: DailyCoverage[] }) => {
  const summaryOf = (measure: CoverageMeasure) => {
    const measured = days.filter(day => day[measure]);
    if (measured.length === 0) return 'not measured in this period';
    const at = (day: DailyCoverage) =>
      `${formatPercent(day[measure]!.ratio)} on ${formatDate(day.day)}`;
    const first = measured[0];
    const last = measured[measured.length - 1];
    return first === last ? at(last) : `${at(first)} → ${at(last)}`;
  };
  return (
    <Box component="ul" pl={2} mb={0} data-testid="backup-trend-summary">
      {COVERAGE_MEASURES.map(measure => (
        <Typography component="li" variant="body2" key={measure}>
          {MEASURE_LABELS[measure]}: {summaryOf(measure)}
        </Typography>
      ))}
    </Box>
  );
};

const CoverageLines = ({ days }: { days: DailyCoverage[] }) => {
  const { palette } = useTheme();
  const colours = [
    palette.primary.main,
    palette.success.main,
    palette.warning.main,
    palette.secondary.main,
  ];
  const data = days.map(day => ({
    day: day.day,
    ...Object.fromEntries(
      // null leaves a gap on days before a measure existed
      COVERAGE_MEASURES.map(measure => [measure, day[measure]?.ratio ?? null]),
    ),
  }));
  return (
    <ResponsiveContainer width="100%" height={280}>
      <LineChart data={data}>
        <CartesianGrid strokeDasharray="3 3" />
        <XAxis dataKey="day" tickFormatter={formatDate} />
        <YAxis domain={[0, 1]} tickFormatter={formatPercent} />
        <Tooltip
          formatter={(value: number) => formatPercent(value)}
          labelFormatter={formatDate}
        />
        <Legend />
        {COVERAGE_MEASURES.map((measure, index) => (
          <Line
            key={measure}
            type="monotone"
            dataKey={measure}
            name={MEASURE_LABELS[measure]}
            stroke={colours[index]}
            dot={false}
            isAnimationActive={false}
          />
        ))}
      </LineChart>
    </ResponsiveContainer>
  );
};

const PeriodSelect = ({
  days,
  onChange,
}: {
  days: number;
  onChange: (days: number) => void;
}) => (
  <TextField
    select
    id="backup-trend-period"
    label="Period"
    value={days}
    onChange={event => onChange(Number(event.target.value))}
    SelectProps={{ native: true }}
    size="small"
  >
    {TREND_PERIODS.map(period => (
      <option key={period} value={period}>
        Last {period} days
      </option>
    ))}
  </TextField>
);

/**
 * Coverage over time from the daily snapshots. The snapshots are kept per
 * owner, so of the filters only the owner applies here.
 */
export const BackupTrendChart = ({
  filters,
  days,
  onDaysChange,
}: {
  filters: BackupOverviewFilters;
  days: number;
  onDaysChange: (days: number) => void;
}) => {
  const backupApi = useApi(backupApiRef);
  const today = DateTime.utc();
  const to = today.toISODate()!;
  const from = today.minus({ days }).toISODate()!;
  const { value, loading, error } = useAsync(
    () => backupApi.getTrends({ from, to, owner: filters.owner }),
    [backupApi, from, to, filters.owner],
  );
  const onlyOwnerApplies = Object.keys(filters).some(key => key !== 'owner');

  const body = () => {
    if (loading) return <Progress />;
    if (error || !value) {
      return <ResponseErrorPanel error={error ?? new Error('No trends')} />;
    }
    const trend = orgTrend(value.points);
    if (trend.length === 0) {
      return (
        <Typography data-testid="backup-trend-empty">
          No daily snapshots between {formatDate(from)} and {formatDate(to)}{' '}
          yet. The backend takes one a day, so the trend fills in over time.
        </Typography>
      );
    }
    return (
      <>
        <CoverageLines days={trend} />
        <TrendSummary days={trend} />
      </>
    );
  };

  return (
    <InfoCard
      title="Coverage over time"
      subheader={
        onlyOwnerApplies
          ? 'Snapshots are kept per owner: only the owner filter applies here.'
          : undefined
      }
      action={<PeriodSelect days={days} onChange={onDaysChange} />}
    >
      <div data-testid="backup-trend">{body()}</div>
    </InfoCard>
  );
};
