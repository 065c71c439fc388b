import { ConfigReader } from '@backstage/config';
import { JsonValue } from '@backstage/types';
import {
  DEFAULT_LOOKBACK,
  DEFAULT_SCHEDULE,
  readAwsBackupCollectorConfig,
} from './config';

const read = (aws: JsonValue | undefined) =>
  readAwsBackupCollectorConfig(new ConfigReader({ backup: { aws } }));

const account = { accountId: '123456789012', region: 'eu-west-1' };

describe('readAwsBackupCollectorConfig', () => {
  it('reads accounts with one region or several, with the defaults', () => {
    expect(
      read({
        accounts: [
          account,
          { accountId: '210987654321', regions: ['eu-west-1', 'us-east-1'] },
          account,
        ],
      }),
    ).toEqual({
      targets: [
        { accountId: '123456789012', region: 'eu-west-1' },
        { accountId: '210987654321', region: 'eu-west-1' },
        { accountId: '210987654321', region: 'us-east-1' },
      ],
      schedule: DEFAULT_SCHEDULE,
      lookback: DEFAULT_LOOKBACK,
    });
  });

  it('reads a schedule and a lookback', () => {
    expect(
      read({
        accounts: [account],
        schedule: { frequency: { minutes: 30 }, timeout: 'PT10M' },
        lookback: 'P2D',
      }),
    ).toMatchObject({
      schedule: { frequency: { minutes: 30 }, timeout: { minutes: 10 } },
      lookback: { days: 2 },
    });
  });

  it.each([
    [undefined, "'backup.aws.accounts': missing"],
    [{ accounts: [] }, "'backup.aws.accounts': missing or empty"],
    [
      { accounts: [{ accountId: 123456789012, region: 'eu-west-1' }] },
      "'backup.aws.accounts[0].accountId'",
    ],
    [
      { accounts: [{ accountId: '12345', region: 'eu-west-1' }] },
      '\'backup.aws.accounts[0].accountId\': "12345"',
    ],
    [
      { accounts: [account, { accountId: '123456789012' }] },
      "'backup.aws.accounts[1].region': missing",
    ],
    [
      { accounts: [{ ...account, region: 'Ireland' }] },
      '\'backup.aws.accounts[0].region\': "Ireland" is not an AWS region',
    ],
    [
      {
        accounts: [
          { accountId: '123456789012', regions: ['eu-west-1', 'eu west 2'] },
        ],
      },
      "'backup.aws.accounts[0].regions'",
    ],
    [
      { accounts: [account], schedule: { frequency: { hours: 1 } } },
      "'backup.aws.schedule'",
    ],
    [{ accounts: [account], lookback: 'a week' }, "'backup.aws.lookback'"],
    [
      { accounts: [account], lookback: 'P45D' },
      "'backup.aws.lookback': expected more than zero and at most 30 days",
    ],
    [
      {
        accounts: [account],
        lookback: 'PT30M',
      },
      "'backup.aws.lookback': shorter than the schedule frequency",
    ],
  ])('fails naming the key for %j', (aws, message) => {
    expect(() => read(aws)).toThrow(message);
  });
});
