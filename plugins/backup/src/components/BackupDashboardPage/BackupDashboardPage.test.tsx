import { Entity } from '@backstage/catalog-model';
import { ResponseError } from '@backstage/errors';
import { AuthorizeResult } from '@backstage/plugin-permission-common';
import { screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { DateTime } from 'luxon';
import { useLocation } from 'react-router-dom';
import {
  daysAgo,
  NOW,
  orgBackupApi,
  orgEntities,
  orgPolicy,
  SEARCH,
} from '../../__testUtils__/backupOrg';
import { InMemoryBackupApi } from '../../__testUtils__/InMemoryBackupApi';
import { renderWithBackup } from '../../__testUtils__/renderWithBackup';
import { formatDate } from '../EntityBackupCard/format';
import { BackupDashboardPage } from './BackupDashboardPage';

// Filters and drill-downs re-render the whole page, slowly on a loaded CI machine.
jest.setTimeout(30_000);

const domains: Entity[] = ['commerce', 'discovery'].map(name => ({
  apiVersion: 'backstage.io/v1alpha1',
  kind: 'Domain',
  metadata: { name, namespace: 'default' },
  spec: { owner: 'payments' },
}));

/** Shows the query string, as a shared link would carry it. */
const LocationProbe = () => (
  <div data-testid="location">{useLocation().search}</div>
);

async function renderDashboard(
  api: InMemoryBackupApi = orgBackupApi(),
  options: { route?: string; permission?: AuthorizeResult.DENY } = {},
) {
  await renderWithBackup(
    <>
      <BackupDashboardPage />
      <LocationProbe />
    </>,
    {
      api,
      catalog: domains,
      route: options.route ?? '/backup',
      permission: options.permission,
    },
  );
}

const tile = (id: string) => screen.getByTestId(`backup-tile-${id}`);
const tileValue = (id: string) =>
  screen.getByTestId(`backup-tile-${id}-value`).textContent;
const query = () =>
  new URLSearchParams(screen.getByTestId('location').textContent ?? '');

/** The tiles once the summary for the current filters is shown. */
async function expectTiles(expected: Record<string, [string, string]>) {
  await waitFor(() => {
    for (const [id, [value, detail]] of Object.entries(expected)) {
      expect(tile(id)).toHaveTextContent(value);
      expect(tile(id)).toHaveTextContent(detail);
    }
  });
}

describe('BackupDashboardPage', () => {
  it('shows the organisation-wide figures of the evaluated entities', async () => {
    await renderDashboard();
    await expectTiles({
      'valid-annotations': ['83%', '5 of 6 in-scope entities'],
      'restore-test-in-policy': ['33%', '2 of 6 in-scope entities'],
      'pii-encrypted': ['50%', '1 of 2 in-scope PII entities'],
      'pii-access-controlled': ['100%', '2 of 2 in-scope PII entities'],
      overdue: ['2', 'entities past due or never tested'],
      'pii-without-encryption': ['1', 'entities holding PII'],
      'pii-without-access-control': [
        '0',
        'entities holding PII whose backups lack access controls',
      ],
      'exemptions-expiring': ['1', 'within 30 days'],
    });
    expect(tileValue('pii-access-controlled')).toBe('100%');
    expect(tileValue('pii-without-access-control')).toBe('0');
    expect(
      screen.getByText(
        'Measured on 23 Nov 2026 against backup policy 2026.2 (approved by Chief Information Security Officer on 15 Sep 2026)',
      ),
    ).toBeInTheDocument();
    const entities = screen.getByTestId('backup-entity-list');
    expect(
      await within(entities).findByText('Entities (7)'),
    ).toBeInTheDocument();
  });

  it('counts PII entities whose backups lack access controls', async () => {
    // payments-db loses its deletion protection: one PII entity of two left
    const entities = orgEntities.map(entity =>
      entity.metadata.name === 'payments-db'
        ? {
            ...entity,
            metadata: {
              ...entity.metadata,
              annotations: {
                ...entity.metadata.annotations,
                'backup-assurance.io/deletion-protection': 'none',
              },
            },
          }
        : entity,
    );
    await renderDashboard(
      new InMemoryBackupApi(entities, () => NOW, orgPolicy),
    );
    await expectTiles({
      'pii-access-controlled': ['50%', '1 of 2 in-scope PII entities'],
    });
    expect(tileValue('pii-without-access-control')).toBe('1');
  });

  it('shows "—" for figures from before access controls were measured', async () => {
    const api = orgBackupApi();
    const current = await api.getSummary();
    const {
      piiWithoutAccessControl: _count,
      coverage: { piiAccessControlled: _ratio, ...coverage },
      ...before
    } = current;
    api.getSummary = async () => ({ ...before, coverage });
    await renderDashboard(api);
    await expectTiles({
      'pii-access-controlled': ['—', 'not measured in these figures'],
      'pii-without-access-control': ['—', 'not measured in these figures'],
      'pii-encrypted': ['50%', '1 of 2 in-scope PII entities'],
    });
    expect(tileValue('pii-access-controlled')).toBe('—');
    expect(tileValue('pii-without-access-control')).toBe('—');
  });

  it('keeps a filter in the URL and shows the figures of the filtered entities', async () => {
    const api = orgBackupApi();
    const getSummary = jest.spyOn(api, 'getSummary');
    await renderDashboard(api);
    await expectTiles({ overdue: ['2', 'entities'] });

    await userEvent.selectOptions(
      screen.getByLabelText('Data classification'),
      'pii',
    );

    expect(query().get('classification')).toBe('pii');
    expect(getSummary).toHaveBeenCalledWith({ classification: 'pii' });
    await expectTiles({
      'valid-annotations': ['100%', '2 of 2 in-scope entities'],
      'restore-test-in-policy': ['100%', '2 of 2 in-scope entities'],
      'pii-encrypted': ['50%', '1 of 2 in-scope PII entities'],
      'pii-access-controlled': ['100%', '2 of 2 in-scope PII entities'],
      overdue: ['0', 'entities'],
      'pii-without-encryption': ['1', 'entities'],
    });
    expect(
      await within(screen.getByTestId('backup-entity-list')).findByText(
        'Entities (2)',
      ),
    ).toBeInTheDocument();
  });

  it('opens a shared view with its filters applied', async () => {
    await renderDashboard(orgBackupApi(), {
      route: `/backup?status=overdue&domain=${encodeURIComponent(
        'domain:default/discovery',
      )}`,
    });
    await expectTiles({ overdue: ['1', 'entities'] });
    expect(screen.getByLabelText('Status')).toHaveValue('overdue');
    expect(screen.getByLabelText('Domain')).toHaveValue(
      'domain:default/discovery',
    );
    const list = screen.getByTestId('backup-entity-list');
    expect(await within(list).findByText('Entities (1)')).toBeInTheDocument();
    expect(within(list).getByText('search-api')).toBeInTheDocument();
  });

  it('drills down to an owner chosen in the owner table', async () => {
    await renderDashboard();
    const owners = await screen.findByTestId('backup-owner-table');
    expect(within(owners).getByText('By owner (2)')).toBeInTheDocument();
    // one row per owner: its scope and only the statuses it has, counted
    const searchRow = within(owners)
      .getByRole('button', { name: 'search' })
      .closest('tr')!;
    expect(searchRow).toHaveTextContent('2 of 3');
    expect(
      within(searchRow)
        .getAllByTestId(/^backup-status-count-/)
        .map(count => count.textContent),
    ).toEqual(['1 Restore test overdue', '1 Incomplete']);

    await userEvent.click(
      within(owners).getByRole('button', { name: 'search' }),
    );

    expect(query().get('owner')).toBe(SEARCH);
    expect(screen.getByLabelText('Owner')).toHaveValue(SEARCH);
    await expectTiles({
      'valid-annotations': ['50%', '1 of 2 in-scope entities'],
      'restore-test-in-policy': ['0%', '0 of 2 in-scope entities'],
      'pii-encrypted': ['—', 'no in-scope PII entities'],
      'pii-access-controlled': ['—', 'no in-scope PII entities'],
      overdue: ['1', 'entities'],
    });
    expect(tileValue('pii-without-access-control')).toBe('0');
    const list = screen.getByTestId('backup-entity-list');
    expect(await within(list).findByText('Entities (3)')).toBeInTheDocument();
    expect(within(list).queryByText('payments-api')).not.toBeInTheDocument();

    await userEvent.click(
      within(screen.getByTestId('backup-owner-table')).getByRole('button', {
        name: 'Show all owners',
      }),
    );
    expect(query().get('owner')).toBeNull();
    await expectTiles({ overdue: ['2', 'entities'] });
  });

  it('lists the overdue and non-compliant entities with links to their pages', async () => {
    await renderDashboard();
    const overdue = await screen.findByTestId('backup-overdue-list');
    await waitFor(() =>
      expect(within(overdue).getAllByRole('link')).toHaveLength(2),
    );
    const [neverTested, late] = within(overdue).getAllByRole('listitem');
    // Never tested comes first: it is the most overdue.
    expect(within(neverTested).getByRole('link')).toHaveAttribute(
      'href',
      '/catalog/default/component/search-api',
    );
    expect(neverTested).toHaveTextContent('No restore test recorded');
    expect(within(late).getByRole('link')).toHaveAttribute(
      'href',
      '/catalog/default/component/payments-worker',
    );
    expect(late).toHaveTextContent('146 days overdue (was due 30 Jun 2026)');

    const nonCompliant = screen.getByTestId('backup-non-compliant-list');
    const link = await within(nonCompliant).findByRole('link');
    expect(link).toHaveAttribute(
      'href',
      '/catalog/default/resource/payments-db',
    );
    expect(nonCompliant).toHaveTextContent(
      'Backups of pii data must be encrypted like production, but encryption is "none".',
    );
  });

  it('shows the policy the figures are measured against', async () => {
    await renderDashboard();
    const policy = await screen.findByTestId('backup-policy');
    await waitFor(() => expect(policy).toHaveTextContent('2026.2'));
    expect(policy).toHaveTextContent('Chief Information Security Officer');
    expect(policy).toHaveTextContent('15 Sep 2026');
    expect(policy).toHaveTextContent('Personal data (PII): every 90 days');
    expect(policy).toHaveTextContent('Internal: every 180 days');
    expect(policy).toHaveTextContent('14 days before the due date');
    expect(policy).toHaveTextContent(
      'Confidential, Personal data (PII), Sensitive personal data',
    );
    const row = (value: string) =>
      within(policy).getByText(value).closest('tr')!;
    expect(
      row('Personal data (PII), Sensitive personal data'),
    ).toHaveTextContent(/Access.controlled backups required for/i);
    expect(
      row('every 90 days (who can delete backups or disable backup jobs)'),
    ).toHaveTextContent(/Access review at least/i);
  });

  it('charts org-wide coverage summed over owners for the last 90 days', async () => {
    const api = orgBackupApi();
    const getTrends = jest.spyOn(api, 'getTrends');
    await renderDashboard(api);
    const summary = await screen.findByTestId('backup-trend-summary');
    expect(getTrends).toHaveBeenCalledWith({
      from: daysAgo(90),
      to: daysAgo(0),
      owner: undefined,
    });
    const first = formatDate(daysAgo(10));
    const last = formatDate(daysAgo(1));
    expect(summary).toHaveTextContent(
      `Valid backup annotations: 50% on ${first} → 57% on ${last}`,
    );
    expect(summary).toHaveTextContent(
      `Restore test inside policy: 16% on ${first} → 28% on ${last}`,
    );
    expect(summary).toHaveTextContent(
      `PII with encrypted backups: 50% on ${first} → 50% on ${last}`,
    );
    // the older snapshot predates the measure, so it starts on the last day
    expect(summary).toHaveTextContent(
      `PII backups access-controlled: 50% on ${last}`,
    );
  });

  it('charts one owner when the owner filter is set, and offers longer periods', async () => {
    const api = orgBackupApi();
    const getTrends = jest.spyOn(api, 'getTrends');
    await renderDashboard(api, {
      route: `/backup?owner=${encodeURIComponent(SEARCH)}`,
    });
    const summary = await screen.findByTestId('backup-trend-summary');
    expect(summary).toHaveTextContent(
      `Valid backup annotations: 50% on ${formatDate(
        daysAgo(10),
      )} → 33% on ${formatDate(daysAgo(1))}`,
    );

    await userEvent.selectOptions(screen.getByLabelText('Period'), '365');
    expect(query().get('days')).toBe('365');
    await waitFor(() =>
      expect(getTrends).toHaveBeenLastCalledWith({
        from: daysAgo(365),
        to: daysAgo(0),
        owner: SEARCH,
      }),
    );
  });

  it('says so when there are no snapshots yet', async () => {
    const api = orgBackupApi();
    api.trendPoints.splice(0);
    await renderDashboard(api);
    expect(await screen.findByTestId('backup-trend-empty')).toHaveTextContent(
      'No daily snapshots',
    );
  });

  describe('evidence export', () => {
    let downloads: { href: string; download: string }[];

    beforeEach(() => {
      downloads = [];
      jest.spyOn(URL, 'createObjectURL').mockReturnValue('blob:evidence');
      jest.spyOn(URL, 'revokeObjectURL').mockImplementation(() => {});
      jest
        .spyOn(HTMLAnchorElement.prototype, 'click')
        .mockImplementation(function record(this: HTMLAnchorElement) {
          downloads.push({ href: this.href, download: this.download });
        });
    });

    afterEach(() => jest.restoreAllMocks());

    it('downloads the chosen format, for the chosen period', async () => {
      const api = orgBackupApi();
      await renderDashboard(api);
      const exporter = await screen.findByTestId('backup-export');
      const today = DateTime.utc().toISODate();

      await userEvent.click(within(exporter).getByTestId('backup-export-json'));
      await waitFor(() => expect(downloads).toHaveLength(1));
      expect(api.exportRequests).toEqual([{ format: 'json' }]);
      expect(downloads[0]).toEqual({
        href: 'blob:evidence',
        download: `backup-evidence-${today}.json`,
      });

      await userEvent.type(
        within(exporter).getByLabelText('From'),
        '2026-01-01',
      );
      await userEvent.click(within(exporter).getByTestId('backup-export-csv'));
      await waitFor(() => expect(downloads).toHaveLength(2));
      expect(api.exportRequests[1]).toEqual({
        format: 'csv',
        from: '2026-01-01',
      });
      expect(downloads[1].download).toBe(`backup-evidence-${today}.csv`);
    });

    it('explains a refused download in words', async () => {
      const api = orgBackupApi();
      api.exportEvidence = async () => {
        throw await ResponseError.fromResponse(
          new Response(
            JSON.stringify({
              error: { name: 'NotAllowedError', message: 'Unauthorized' },
            }),
            {
              status: 403,
              statusText: 'Forbidden',
              headers: { 'Content-Type': 'application/json' },
            },
          ),
        );
      };
      await renderDashboard(api);
      await userEvent.click(await screen.findByTestId('backup-export-csv'));
      expect(await screen.findByRole('alert')).toHaveTextContent(
        'You may not download the evidence pack: it needs the backup.evidence.export permission.',
      );
      expect(downloads).toHaveLength(0);
    });

    it('reports any other failure with its message', async () => {
      const api = orgBackupApi();
      api.exportEvidence = async () => {
        throw new Error('disk full');
      };
      await renderDashboard(api);
      await userEvent.click(await screen.findByTestId('backup-export-json'));
      expect(await screen.findByRole('alert')).toHaveTextContent(
        'The evidence pack could not be downloaded: disk full',
      );
    });
  });

  it('shows the error when the backend fails', async () => {
    const api = orgBackupApi();
    api.getSummary = async () => {
      throw new Error('backup backend unreachable');
    };
    await renderWithBackup(<BackupDashboardPage />, { api, route: '/backup' });
    expect(
      (await screen.findAllByText(/backup backend unreachable/)).length,
    ).toBeGreaterThan(0);
    expect(screen.queryByTestId('backup-tiles')).not.toBeInTheDocument();
  });
});
