import {
  BACKUP_OVERVIEW_SORTS,
  BACKUP_STATUS_PRECEDENCE,
  BackupOverviewFilters,
  BackupOverviewSort,
  BackupStatus,
  DATA_CLASSIFICATIONS,
  DataClassification,
} from '@backup-assurance/plugin-backup-common';
import { useCallback, useMemo } from 'react';
import { useSearchParams } from 'react-router-dom';

/** The filter names, which are also the query-string keys of a shared view. */
export const FILTER_NAMES = [
  'owner',
  'system',
  'domain',
  'kind',
  'classification',
  'status',
] as const;

export type BackupFilterName = (typeof FILTER_NAMES)[number];

/** The periods the trend chart offers, in days. */
export const TREND_PERIODS = [30, 90, 365] as const;
const DEFAULT_TREND_PERIOD = 90;

const oneOf = <T extends string>(allowed: readonly T[], value: string | null) =>
  allowed.includes(value as T) ? (value as T) : undefined;

/**
 * The filters a URL asks for. Values the backend would reject (an unknown
 * status or classification) are dropped rather than sent.
 */
export function filtersFromSearch(
  params: URLSearchParams,
): BackupOverviewFilters {
  const filters: BackupOverviewFilters = {
    owner: params.get('owner') || undefined,
    system: params.get('system') || undefined,
    domain: params.get('domain') || undefined,
    kind: params.get('kind') || undefined,
    classification: oneOf<DataClassification>(
      DATA_CLASSIFICATIONS,
      params.get('classification'),
    ),
    status: oneOf<BackupStatus>(BACKUP_STATUS_PRECEDENCE, params.get('status')),
  };
  return Object.fromEntries(
    Object.entries(filters).filter(([, value]) => value !== undefined),
  );
}

/**
 * The dashboard's view (filters, entity order, trend period), kept in the
 * query string so that a view can be shared as a link.
 */
export function useDashboardFilters() {
  const [params, setParams] = useSearchParams();
  const filters = useMemo(() => filtersFromSearch(params), [params]);
  const sort: BackupOverviewSort =
    oneOf(BACKUP_OVERVIEW_SORTS, params.get('sort')) ?? 'most-overdue';
  const trendDays =
    TREND_PERIODS.find(days => String(days) === params.get('days')) ??
    DEFAULT_TREND_PERIOD;

  const setParam = useCallback(
    (key: string, value: string | undefined) => {
      const next = new URLSearchParams(params);
      if (value) {
        next.set(key, value);
      } else {
        next.delete(key);
      }
      setParams(next);
    },
    [params, setParams],
  );

  const clearFilters = useCallback(() => {
    const next = new URLSearchParams(params);
    FILTER_NAMES.forEach(name => next.delete(name));
    setParams(next);
  }, [params, setParams]);

  return {
    filters,
    setFilter: (name: BackupFilterName, value: string | undefined) =>
      setParam(name, value),
    clearFilters,
    sort,
    setSort: (value: BackupOverviewSort) => setParam('sort', value),
    trendDays,
    setTrendDays: (days: number) => setParam('days', String(days)),
  };
}
