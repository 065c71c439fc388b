import { stringifyEntityRef } from '@backstage/catalog-model';
import { useApi } from '@backstage/core-plugin-api';
import { catalogApiRef } from '@backstage/plugin-catalog-react';
import {
  BACKUP_STATUS_LABELS,
  BACKUP_STATUS_PRECEDENCE,
  BackupOverviewFilters,
  DATA_CLASSIFICATION_LABELS,
  DATA_CLASSIFICATIONS,
} from '@backup-assurance/plugin-backup-common';
import { Button, Grid, TextField } from '@material-ui/core';
import useAsync from 'react-use/esm/useAsync';
import { backupApiRef } from '../../api';
import { refLabel } from './refLabel';
import { BackupFilterName } from './useDashboardFilters';

interface Choice {
  value: string;
  label: string;
}

const refChoices = (refs: string[], defaultKind: string): Choice[] =>
  refs
    .filter(ref => ref !== 'none')
    .map(ref => ({ value: ref, label: refLabel(ref, defaultKind) }))
    .sort((a, b) => a.label.localeCompare(b.label));

const KIND_CHOICES: Choice[] = [
  { value: 'component', label: 'Component' },
  { value: 'resource', label: 'Resource' },
];

const CLASSIFICATION_CHOICES: Choice[] = DATA_CLASSIFICATIONS.map(value => ({
  value,
  label: DATA_CLASSIFICATION_LABELS[value],
}));

const STATUS_CHOICES: Choice[] = [...BACKUP_STATUS_PRECEDENCE]
  .reverse()
  .map(value => ({ value, label: BACKUP_STATUS_LABELS[value] }));

/**
 * Owners and systems come from the org-wide summary, so only those with
 * entities to report appear; the summary has no domain breakdown, so domains
 * come from the catalog.
 */
function useRefChoices() {
  const backupApi = useApi(backupApiRef);
  const catalogApi = useApi(catalogApiRef);
  return useAsync(async () => {
    const [summary, domains] = await Promise.all([
      backupApi.getSummary(),
      catalogApi
        .getEntities({
          filter: { kind: 'domain' },
          fields: ['kind', 'metadata.namespace', 'metadata.name'],
        })
        .then(response => response.items.map(e => stringifyEntityRef(e)))
        // Without the catalog the domain filter only lists the current value.
        .catch(() => [] as string[]),
    ]);
    return {
      owner: refChoices(
        summary.byOwner.map(group => group.key),
        'group',
      ),
      system: refChoices(
        summary.bySystem.map(group => group.key),
        'system',
      ),
      domain: refChoices(domains, 'domain'),
    };
  }, [backupApi, catalogApi]).value;
}

const FilterSelect = ({
  name,
  label,
  choices,
  value,
  onChange,
}: {
  name: BackupFilterName;
  label: string;
  choices: Choice[];
  value: string | undefined;
  onChange: (name: BackupFilterName, value: string | undefined) => void;
}) => {
  // A shared link may name a value that is not offered (yet): keep it visible.
  const offered =
    value && !choices.some(c => c.value === value)
      ? [...choices, { value, label: value }]
      : choices;
  return (
    <TextField
      select
      fullWidth
      id={`backup-filter-${name}`}
      label={label}
      value={value ?? ''}
      onChange={event => onChange(name, event.target.value || undefined)}
      SelectProps={{ native: true }}
      InputLabelProps={{ shrink: true }}
      variant="outlined"
      size="small"
    >
      <option value="">All</option>
      {offered.map(choice => (
        <option key={choice.value} value={choice.value}>
          {choice.label}
        </option>
      ))}
    </TextField>
  );
};

/** The six filters of the dashboard; their values live in the URL. */
export const BackupFilterBar = ({
  filters,
  onChange,
  onClear,
}: {
  filters: BackupOverviewFilters;
  onChange: (name: BackupFilterName, value: string | undefined) => void;
  onClear: () => void;
}) => {
  const refs = useRefChoices();
  const selects: [BackupFilterName, string, Choice[]][] = [
    ['owner', 'Owner', refs?.owner ?? []],
    ['system', 'System', refs?.system ?? []],
    ['domain', 'Domain', refs?.domain ?? []],
    ['kind', 'Kind', KIND_CHOICES],
    ['classification', 'Data classification', CLASSIFICATION_CHOICES],
    ['status', 'Status', STATUS_CHOICES],
  ];
  return (
    <Grid
      container
      spacing={2}
      alignItems="center"
      data-testid="backup-filters"
    >
      {selects.map(([name, label, choices]) => (
        <Grid item xs={12} sm={6} md={2} key={name}>
          <FilterSelect
            name={name}
            label={label}
            choices={choices}
            value={filters[name]}
            onChange={onChange}
          />
        </Grid>
      ))}
      {Object.keys(filters).length > 0 && (
        <Grid item xs={12}>
          <Button size="small" onClick={onClear}>
            Clear filters
          </Button>
        </Grid>
      )}
    </Grid>
  );
};
