import {
  Content,
  Header,
  InfoCard,
  Page,
  Progress,
  ResponseErrorPanel,
} from '@backstage/core-components';
import { useApi } from '@backstage/core-plugin-api';
import { BackupSummary } from '@backup-assurance/plugin-backup-common';
import { Grid } from '@material-ui/core';
import useAsync from 'react-use/esm/useAsync';
import { backupApiRef } from '../../api';
import { BackupFiguresTiles } from '../BackupFigures';
import { formatDate } from '../EntityBackupCard/format';
import { BackupAttentionList } from './BackupAttentionList';
import { BackupEntityTable } from './BackupEntityTable';
import { BackupFilterBar } from './BackupFilterBar';
import { BackupOwnerTable } from './BackupOwnerTable';
import { BackupPolicyPanel } from './BackupPolicyPanel';
import { BackupTrendChart } from './BackupTrendChart';
import { EvidenceExportButtons } from './EvidenceExportButtons';
import { useDashboardFilters } from './useDashboardFilters';

/** When the figures were measured, then the policy and its own approval. */
const measuredAgainst = ({ generatedAt, policy }: BackupSummary) => {
  const approval = [
    policy.approvedBy && `approved by ${policy.approvedBy}`,
    policy.approvedAt && `on ${formatDate(policy.approvedAt)}`,
  ].filter(Boolean);
  return `Measured on ${formatDate(generatedAt)} against backup policy ${
    policy.version
  }${approval.length ? ` (${approval.join(' ')})` : ''}`;
};

const BackupDashboard = () => {
  const backupApi = useApi(backupApiRef);
  const view = useDashboardFilters();
  const { filters } = view;
  const summary = useAsync(
    () => backupApi.getSummary(filters),
    [backupApi, filters],
  );

  const figures = () => {
    if (summary.loading) return <Progress />;
    if (summary.error || !summary.value) {
      return (
        <ResponseErrorPanel error={summary.error ?? new Error('No summary')} />
      );
    }
    return (
      <Grid container spacing={3}>
        <Grid item xs={12}>
          <InfoCard
            title={`Backup coverage of ${summary.value.total} entities`}
            subheader={measuredAgainst(summary.value)}
          >
            <div data-testid="backup-tiles">
              <BackupFiguresTiles figures={summary.value} />
            </div>
          </InfoCard>
        </Grid>
        <Grid item xs={12}>
          <BackupOwnerTable
            groups={summary.value.byOwner}
            owner={filters.owner}
            onSelectOwner={owner => view.setFilter('owner', owner)}
          />
        </Grid>
      </Grid>
    );
  };

  return (
    <Grid container spacing={3}>
      <Grid item xs={12}>
        <BackupFilterBar
          filters={filters}
          onChange={view.setFilter}
          onClear={view.clearFilters}
        />
      </Grid>
      <Grid item xs={12}>
        {figures()}
      </Grid>
      <Grid item xs={12}>
        <BackupTrendChart
          filters={filters}
          days={view.trendDays}
          onDaysChange={view.setTrendDays}
        />
      </Grid>
      <Grid item xs={12} md={7}>
        <BackupPolicyPanel />
      </Grid>
      <Grid item xs={12} md={5}>
        <EvidenceExportButtons />
      </Grid>
      <Grid item xs={12}>
        <BackupAttentionList filters={filters} />
      </Grid>
      <Grid item xs={12}>
        <BackupEntityTable
          key={JSON.stringify([filters, view.sort])}
          filters={filters}
          sort={view.sort}
          onSortChange={view.setSort}
        />
      </Grid>
    </Grid>
  );
};

/**
 * The org-wide backup dashboard for managers and auditors: coverage figures
 * and their trend, the owners and entities behind them, the policy, and the
 * evidence pack. Its filters live in the URL, so a view can be shared.
 *
 * @public
 */
export const BackupDashboardPage = () => (
  <Page themeId="tool">
    <Header
      title="Backup assurance"
      subtitle="Backup coverage, restore tests and evidence across the organisation"
    />
    <Content>
      <BackupDashboard />
    </Content>
  </Page>
);
