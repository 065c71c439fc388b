import { ResponseError } from '@backstage/errors';
import fc from 'fast-check';
import { BackupClient } from './BackupClient';

const BASE = 'http://backend.example.com/api/backup';

function clientAnswering(response: () => Response) {
  const fetch = jest.fn(async (_url: string, _init?: RequestInit) =>
    response(),
  );
  const client = new BackupClient({
    discoveryApi: { getBaseUrl: async () => BASE },
    fetchApi: { fetch: fetch as typeof globalThis.fetch },
  });
  return { client, fetch, url: () => fetch.mock.calls[0][0] };
}

const json = (body: unknown, status = 200) =>
  new Response(JSON.stringify(body), {
    status,
    headers: { 'Content-Type': 'application/json' },
  });

describe('BackupClient', () => {
  it('sends only the defined filters to /summary', async () => {
    const { client, url } = clientAnswering(() => json({ total: 0 }));
    await client.getSummary({
      owner: 'group:default/payments',
      system: undefined,
      classification: 'pii',
    });
    expect(url()).toBe(
      `${BASE}/summary?owner=group%3Adefault%2Fpayments&classification=pii`,
    );
  });

  it('asks /summary for everything without filters', async () => {
    const { client, url } = clientAnswering(() => json({ total: 0 }));
    await client.getSummary();
    expect(url()).toBe(`${BASE}/summary`);
  });

  it('pages and orders /entities', async () => {
    const page = { items: [], totalCount: 0, limit: 50, offset: 100 };
    const { client, url } = clientAnswering(() => json(page));
    await expect(
      client.listEntities(
        { status: 'overdue', domain: 'domain:default/commerce' },
        { sort: 'name', limit: 50, offset: 100 },
      ),
    ).resolves.toEqual(page);
    expect(url()).toBe(
      `${BASE}/entities?domain=domain%3Adefault%2Fcommerce&status=overdue&sort=name&limit=50&offset=100`,
    );
  });

  it('asks /trends for a period and an owner', async () => {
    const { client, url } = clientAnswering(() =>
      json({ from: '2026-08-25', to: '2026-11-23', points: [] }),
    );
    await client.getTrends({ from: '2026-08-25', to: '2026-11-23' });
    expect(url()).toBe(`${BASE}/trends?from=2026-08-25&to=2026-11-23`);
  });

  it('pages the access reviews of an entity', async () => {
    const page = { items: [], totalCount: 0, limit: 50, offset: 50 };
    const { client, url } = clientAnswering(() => json(page));
    await expect(
      client.listAccessReviews(
        { kind: 'component', namespace: 'default', name: 'payments api' },
        { limit: 50, offset: 50 },
      ),
    ).resolves.toEqual(page);
    expect(url()).toBe(
      `${BASE}/entities/component/default/payments%20api/access-reviews?limit=50&offset=50`,
    );
  });

  it('posts an access review as JSON and returns the stored record', async () => {
    const input = {
      reviewedAt: '2026-11-20T10:00:00.000Z',
      reviewer: 'Security team',
      outcome: 'changed' as const,
      admins: ['group:default/backup-admins'],
      source: 'manual',
    };
    const stored = { ...input, id: 'ar-1', sequence: 1 };
    const { client, fetch, url } = clientAnswering(() => json(stored, 201));
    await expect(
      client.recordAccessReview(
        { kind: 'resource', namespace: 'default', name: 'payments-db' },
        input,
      ),
    ).resolves.toEqual(stored);
    expect(url()).toBe(
      `${BASE}/entities/resource/default/payments-db/access-reviews`,
    );
    const init = fetch.mock.calls[0][1]!;
    expect(init.method).toBe('POST');
    expect(init.headers).toEqual({ 'Content-Type': 'application/json' });
    expect(JSON.parse(String(init.body))).toEqual(input);
  });

  it('throws a ResponseError with the reason when an access review is refused', async () => {
    const { client } = clientAnswering(() =>
      json(
        {
          error: {
            name: 'InputError',
            message: 'reviewedAt is in the future',
          },
          request: { method: 'POST', url: '/access-reviews' },
          response: { statusCode: 400 },
        },
        400,
      ),
    );
    const refused = client.recordAccessReview(
      { kind: 'component', namespace: 'default', name: 'payments-api' },
      {
        reviewedAt: '2999-01-01T00:00:00.000Z',
        reviewer: 'Security team',
        outcome: 'confirmed',
        admins: ['group:default/backup-admins'],
      },
    );
    await expect(refused).rejects.toBeInstanceOf(ResponseError);
    await expect(refused).rejects.toMatchObject({
      statusCode: 400,
      cause: { name: 'InputError', message: 'reviewedAt is in the future' },
    });
  });

  it('pages the follow-ups of an entity', async () => {
    const page = { items: [], totalCount: 0, limit: 100, offset: 100 };
    const { client, url } = clientAnswering(() => json(page));
    await expect(
      client.listFollowUps(
        { kind: 'resource', namespace: 'default', name: 'invoice archive' },
        { limit: 100, offset: 100 },
      ),
    ).resolves.toEqual(page);
    expect(url()).toBe(
      `${BASE}/entities/resource/default/invoice%20archive/follow-ups?limit=100&offset=100`,
    );
  });

  it('posts a follow-up as JSON and returns the stored record', async () => {
    const input = {
      failure: { kind: 'backup-run' as const, id: 'br-7' },
      action: 'acknowledged' as const,
      ticketUrl: 'https://tickets.example.com/OPS-42',
      at: '2026-11-20T10:00:00.000Z',
      source: 'manual',
    };
    const stored = { ...input, id: 'fu-1', sequence: 1 };
    const { client, fetch, url } = clientAnswering(() => json(stored, 201));
    await expect(
      client.recordFollowUp(
        { kind: 'resource', namespace: 'default', name: 'invoice-archive' },
        input,
      ),
    ).resolves.toEqual(stored);
    expect(url()).toBe(
      `${BASE}/entities/resource/default/invoice-archive/follow-ups`,
    );
    const init = fetch.mock.calls[0][1]!;
    expect(init.method).toBe('POST');
    expect(init.headers).toEqual({ 'Content-Type': 'application/json' });
    expect(JSON.parse(String(init.body))).toEqual(input);
  });

  it('throws a ResponseError with the reason when a follow-up is refused', async () => {
    const { client } = clientAnswering(() =>
      json(
        {
          error: {
            name: 'InputError',
            message: 'failure: no failed backup-run br-1 of resource:default/x',
          },
          request: { method: 'POST', url: '/follow-ups' },
          response: { statusCode: 400 },
        },
        400,
      ),
    );
    const refused = client.recordFollowUp(
      { kind: 'resource', namespace: 'default', name: 'x' },
      {
        failure: { kind: 'backup-run', id: 'br-1' },
        action: 'resolved',
        resolution: 'Re-ran the job',
        at: '2026-11-20T10:00:00.000Z',
      },
    );
    await expect(refused).rejects.toBeInstanceOf(ResponseError);
    await expect(refused).rejects.toMatchObject({
      statusCode: 400,
      cause: {
        name: 'InputError',
        message: 'failure: no failed backup-run br-1 of resource:default/x',
      },
    });
  });

  it('downloads the evidence pack through fetchApi as a file', async () => {
    const { client, fetch, url } = clientAnswering(
      () =>
        new Response('entityRef\ncomponent:default/payments-api\n', {
          headers: { 'Content-Type': 'text/csv' },
        }),
    );
    const file = await client.exportEvidence({
      format: 'csv',
      from: '2026-01-01',
    });
    expect(fetch).toHaveBeenCalledTimes(1);
    expect(url()).toBe(`${BASE}/export?format=csv&from=2026-01-01`);
    expect(await file.text()).toBe(
      'entityRef\ncomponent:default/payments-api\n',
    );
  });

  it('throws a ResponseError with the status when the download is refused', async () => {
    const { client } = clientAnswering(() =>
      json(
        { error: { name: 'NotAllowedError', message: 'Unauthorized' } },
        403,
      ),
    );
    const refused = client.exportEvidence({ format: 'json' });
    await expect(refused).rejects.toBeInstanceOf(ResponseError);
    await expect(refused).rejects.toMatchObject({ statusCode: 403 });
  });

  describe('getEntityRowsByRefs', () => {
    /** A backend that answers each ref with a row naming it. */
    function byRefsBackend() {
      const fetch = jest.fn(async (_url: string, init?: RequestInit) => {
        const { entityRefs } = JSON.parse(String(init?.body));
        return json({
          items: entityRefs.map((entityRef: string) =>
            entityRef.endsWith('unknown') ? null : { entityRef },
          ),
        });
      });
      const client = new BackupClient({
        discoveryApi: { getBaseUrl: async () => BASE },
        fetchApi: { fetch: fetch as typeof globalThis.fetch },
      });
      return { client, fetch };
    }

    const sentRefs = (fetch: jest.Mock) =>
      fetch.mock.calls.map(
        ([, init]) => JSON.parse(init.body).entityRefs as string[],
      );

    it('posts the refs as JSON and keeps nulls in their place', async () => {
      const { client, fetch } = byRefsBackend();
      const rows = await client.getEntityRowsByRefs([
        'component:default/a',
        'component:default/unknown',
      ]);
      expect(rows).toEqual([{ entityRef: 'component:default/a' }, null]);
      expect(fetch).toHaveBeenCalledTimes(1);
      expect(fetch.mock.calls[0][0]).toBe(`${BASE}/entities/by-refs`);
      expect(fetch.mock.calls[0][1]).toMatchObject({ method: 'POST' });
    });

    it('asks nothing for no refs', async () => {
      const { client, fetch } = byRefsBackend();
      await expect(client.getEntityRowsByRefs([])).resolves.toEqual([]);
      expect(fetch).not.toHaveBeenCalled();
    });

    it('splits more than 500 refs into requests of at most 500, in order', async () => {
      await fc.assert(
        fc.asyncProperty(fc.integer({ min: 1, max: 1600 }), async count => {
          const { client, fetch } = byRefsBackend();
          const refs = Array.from(
            { length: count },
            (_, i) => `component:default/c${i}`,
          );
          const rows = await client.getEntityRowsByRefs(refs);
          expect(rows.map(row => row?.entityRef)).toEqual(refs);
          const requests = sentRefs(fetch);
          expect(requests).toHaveLength(Math.ceil(count / 500));
          expect(requests.every(chunk => chunk.length <= 500)).toBe(true);
          expect(requests.flat()).toEqual(refs);
        }),
        { numRuns: 40 },
      );
    });

    it('throws a ResponseError when the backend refuses', async () => {
      const { client } = clientAnswering(() =>
        json({ error: { name: 'InputError', message: 'bad ref' } }, 400),
      );
      await expect(
        client.getEntityRowsByRefs(['nonsense']),
      ).rejects.toBeInstanceOf(ResponseError);
    });
  });
});
