import { Entity } from '@backstage/catalog-model';
import { parseBackupProfile } from './profile';

function entityWith(annotations: Record<string, string>): Entity {
  return {
    apiVersion: 'backstage.io/v1alpha1',
    kind: 'Component',
    metadata: { name: 'svc', namespace: 'payments', annotations },
    spec: { type: 'service', lifecycle: 'production', owner: 'team-a' },
  };
}

const annotation = (name: string) => `backup-assurance.io/${name}`;

function parseOne(name: string, value: string) {
  return parseBackupProfile(entityWith({ [annotation(name)]: value }));
}

describe('parseBackupProfile', () => {
  it('parses every annotation of a full declaration, trimming values', () => {
    const { profile, errors, annotated } = parseBackupProfile(
      entityWith({
        [annotation('method')]: ' pitr , database-dump ',
        [annotation('data-classification')]: ' pii',
        [annotation('owner')]: 'team-payments',
        [annotation('last-restore-test')]: '2026-10-01T14:30:00+02:00',
        [annotation('restore-test-evidence')]:
          'https://tickets.example.com/OPS-1',
        [annotation('frequency')]: 'P1D',
        [annotation('retention')]: 'P35D',
        [annotation('rpo')]: 'PT24H',
        [annotation('rto')]: 'PT4H',
        [annotation('encryption')]: 'customer-managed',
        [annotation('locations')]: 'eu-west-1, eu-central-1,',
        [annotation('provider')]: 'Acme Backup Ltd',
        [annotation('backup-admins')]:
          'backup-admins, user:default/ana, backup-admins',
        [annotation('deletion-protection')]: 'immutable',
        [annotation('access-logging')]: 'tamper-evident',
        [annotation('last-access-review')]: '2026-10-15',
        [annotation('access-review-evidence')]:
          'https://tickets.example.com/SEC-4',
      }),
    );
    expect(errors).toEqual([]);
    expect(annotated).toBe(true);
    expect(profile).toEqual({
      methods: ['pitr', 'database-dump'],
      dataClassification: 'pii',
      owner: 'group:payments/team-payments',
      lastRestoreTest: '2026-10-01T12:30:00.000Z',
      restoreTestEvidence: 'https://tickets.example.com/OPS-1',
      frequency: 'P1D',
      retention: 'P35D',
      rpo: 'PT24H',
      rto: 'PT4H',
      encryption: 'customer-managed',
      locations: ['eu-west-1', 'eu-central-1'],
      provider: 'Acme Backup Ltd',
      // relative refs resolve in the entity's namespace, once each
      backupAdmins: ['group:payments/backup-admins', 'user:default/ana'],
      deletionProtection: 'immutable',
      accessLogging: 'tamper-evident',
      lastAccessReview: '2026-10-15T00:00:00.000Z',
      accessReviewEvidence: 'https://tickets.example.com/SEC-4',
    });
  });

  it('reports an entity without annotations as not annotated', () => {
    expect(parseBackupProfile(entityWith({}))).toEqual({
      profile: {},
      errors: [],
      annotated: false,
    });
  });

  it.each([
    ['2026-10-01', '2026-10-01T00:00:00.000Z'],
    ['2026-10-01T00:30:00Z', '2026-10-01T00:30:00.000Z'],
    // a time zone east of UTC moves the instant to the previous UTC day
    ['2026-10-01T01:00:00+05:30', '2026-09-30T19:30:00.000Z'],
    ['2026-10-01T23:00-0300', '2026-10-02T02:00:00.000Z'],
    ['2024-02-29', '2024-02-29T00:00:00.000Z'],
    ['2026-10-01T10:00:00.123456Z', '2026-10-01T10:00:00.123Z'],
  ])('accepts the date %s as %s', (given, expected) => {
    const { profile, errors } = parseOne('last-restore-test', given);
    expect(errors).toEqual([]);
    expect(profile.lastRestoreTest).toBe(expected);
  });

  it.each([
    '2026-02-29', // not a leap year
    '2026-13-01',
    '2026-10-32',
    '2026-10', // reduced precision is ambiguous
    '2026-10-01T10:00:00', // no time zone: the instant would be a guess
    '01/10/2026',
    'yesterday',
    '2026-10-01T25:00:00Z',
  ])('rejects the date %s', given => {
    const { profile, errors } = parseOne('last-restore-test', given);
    expect(profile.lastRestoreTest).toBeUndefined();
    expect(errors).toEqual([
      expect.objectContaining({
        field: 'lastRestoreTest',
        annotation: 'backup-assurance.io/last-restore-test',
        value: given,
        expected: expect.stringContaining('ISO 8601 date'),
      }),
    ]);
  });

  it.each([
    ['P1D', 'P1D'],
    ['PT4H', 'PT4H'],
    ['P1Y2M10DT2H30M', 'P1Y2M10DT2H30M'],
    ['P2W', 'P2W'],
    ['PT0.5S', 'PT0.5S'],
  ])('accepts the duration %s', (given, expected) => {
    const { profile, errors } = parseOne('frequency', given);
    expect(errors).toEqual([]);
    expect(profile.frequency).toBe(expected);
  });

  it.each(['P', 'PT', 'P0D', 'PT0S', '1D', 'daily', 'P-1D', 'P1.5D', 'PT4'])(
    'rejects the duration %s',
    given => {
      const { errors } = parseOne('rpo', given);
      expect(errors).toEqual([
        expect.objectContaining({
          field: 'rpo',
          expected: expect.stringContaining('ISO 8601 duration'),
        }),
      ]);
    },
  );

  it.each([
    ['method', 'tape', 'a comma list of: snapshot'],
    ['method', 'snapshot, none', '"none" on its own'],
    ['method', ' , ', 'a comma list of'],
    ['data-classification', 'PII', 'one of: public, internal'],
    ['encryption', 'aes', 'one of: none, provider-managed, customer-managed'],
    ['owner', 'component:default/foo', 'an entity ref of a group or user'],
    ['owner', 'group:', 'an entity ref of a group or user'],
    ['restore-test-evidence', 'ticket OPS-1', 'an http(s) URL'],
    ['restore-test-evidence', 'ftp://files/x', 'an http(s) URL'],
    ['locations', ',', 'a comma list of backup storage locations'],
    ['provider', '   ', 'the annotation is empty'],
  ])('rejects %s: %j', (name, value, expected) => {
    const { errors } = parseOne(name, value);
    expect(errors).toHaveLength(1);
    expect(errors[0].annotation).toBe(annotation(name));
    expect(errors[0].value).toBe(value);
    expect(errors[0].expected).toContain(expected);
  });

  it('keeps user owners and lower-cases the kind', () => {
    expect(parseOne('owner', 'User:default/jane').profile.owner).toBe(
      'user:default/jane',
    );
  });

  it('removes duplicate methods', () => {
    expect(parseOne('method', 'snapshot,snapshot').profile.methods).toEqual([
      'snapshot',
    ]);
  });

  it('reads who approved an exemption as a group or user ref', () => {
    expect(
      parseOne('exemption-approved-by', 'User:default/Dana').profile,
    ).toEqual({ exemptionApprovedBy: 'user:default/dana' });
    // like the owner, a bare name is a group in the entity's namespace
    expect(parseOne('exemption-approved-by', 'grc').profile).toEqual({
      exemptionApprovedBy: 'group:payments/grc',
    });
    expect(
      parseOne('exemption-approved-by', 'system:default/x').errors,
    ).toEqual([
      expect.objectContaining({
        field: 'exemptionApprovedBy',
        annotation: 'backup-assurance.io/exemption-approved-by',
        expected:
          'an entity ref of a group or user, e.g. group:default/payments',
      }),
    ]);
  });

  it('requires an exemption to say when it expires', () => {
    const { errors } = parseOne('exemption', 'Decommissioning in Q1');
    expect(errors).toEqual([
      expect.objectContaining({
        field: 'exemptionExpires',
        expected: expect.stringContaining('an exemption must expire'),
      }),
    ]);
  });
});
