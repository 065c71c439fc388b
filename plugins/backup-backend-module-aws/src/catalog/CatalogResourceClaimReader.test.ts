import { mockServices } from '@backstage/backend-test-utils';
import { Entity } from '@backstage/catalog-model';
import { catalogServiceMock } from '@backstage/plugin-catalog-node/testUtils';
import {
  CatalogResourceClaimReader,
  parseResourceArns,
} from './CatalogResourceClaimReader';

const TABLE = 'arn:aws:dynamodb:eu-west-1:111111111111:table/orders';
const BUCKET = 'arn:aws:s3:::orders-exports';
const DB = 'arn:aws:rds:eu-west-1:111111111111:db:payments-db';

const entity = (kind: string, name: string, arns?: string): Entity => ({
  apiVersion: 'backstage.io/v1alpha1',
  kind,
  metadata: {
    name,
    annotations: arns
      ? { 'backup-assurance.io/aws-backup-resource-arn': arns }
      : {},
  },
  spec: {},
});

describe('parseResourceArns', () => {
  it('splits a comma list and sets apart what is not an ARN', () => {
    expect(parseResourceArns(` ${TABLE},\n ${BUCKET} ,, i-0abc `)).toEqual({
      arns: [TABLE, BUCKET],
      malformed: ['i-0abc'],
    });
  });
});

describe('CatalogResourceClaimReader', () => {
  it('reads the claims of every annotated entity', async () => {
    const reader = CatalogResourceClaimReader.create({
      auth: mockServices.auth(),
      catalog: catalogServiceMock({
        entities: [
          entity('Resource', 'payments-db', DB),
          entity('Component', 'orders-api', `${TABLE}, ${BUCKET}, ${DB}`),
          entity('Component', 'legacy', 'payments-db'),
          entity('Component', 'unannotated'),
        ],
      }),
    });

    const { claims, malformed } = await reader.read();

    expect(claims.entitiesOf(DB)).toEqual([
      'resource:default/payments-db',
      'component:default/orders-api',
    ]);
    expect(claims.entitiesOf(BUCKET)).toEqual(['component:default/orders-api']);
    expect(claims.entitiesOf('arn:aws:s3:::other')).toEqual([]);
    expect(malformed).toEqual(['component:default/legacy: payments-db']);
  });
});
