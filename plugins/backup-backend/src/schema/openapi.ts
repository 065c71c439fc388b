import {
  ACCESS_REVIEW_OUTCOMES,
  BACKUP_OVERVIEW_SORTS,
  BACKUP_RUN_OUTCOMES,
  BACKUP_STATUS_PRECEDENCE,
  DATA_CLASSIFICATIONS,
  EVIDENCE_LIMITS,
  EVIDENCE_SOURCE_PATTERN,
  FOLLOW_UP_ACTIONS,
  FOLLOW_UP_FAILURE_KINDS,
  RESTORE_TEST_RESULTS,
  VALIDATION_OUTCOMES,
  VALIDATION_STEP_TYPES,
} from '@backup-assurance/plugin-backup-common';

/**
 * The OpenAPI document of the `backup` plugin. Every request is validated
 * against it (createValidatedOpenApiRouter); a mismatch is a 400 that names
 * the offending field. Served at /api/backup/openapi.json.
 */

const entityPathParams = [
  { name: 'kind', in: 'path', required: true, schema: { type: 'string' } },
  { name: 'namespace', in: 'path', required: true, schema: { type: 'string' } },
  { name: 'name', in: 'path', required: true, schema: { type: 'string' } },
] as const;

const pageParams = [
  {
    name: 'limit',
    in: 'query',
    required: false,
    description: `Page size (hard limit ${EVIDENCE_LIMITS.maxPageSize})`,
    schema: {
      type: 'integer',
      minimum: 1,
      maximum: EVIDENCE_LIMITS.maxPageSize,
      default: EVIDENCE_LIMITS.defaultPageSize,
    },
  },
  {
    name: 'offset',
    in: 'query',
    required: false,
    schema: {
      type: 'integer',
      minimum: 0,
      maximum: EVIDENCE_LIMITS.maxOffset,
      default: 0,
    },
  },
] as const;

const refParam = (name: string, description: string) =>
  ({
    name,
    in: 'query',
    required: false,
    description,
    // entity refs read naturally unencoded: group:default/payments
    allowReserved: true,
    schema: { type: 'string', maxLength: EVIDENCE_LIMITS.shortText },
  } as const);

const filterParams = [
  refParam('owner', 'Entity ref of the owning group or user'),
  refParam('system', 'Entity ref of the system'),
  refParam('domain', 'Entity ref of the domain'),
  {
    name: 'kind',
    in: 'query',
    required: false,
    schema: { type: 'string', enum: ['component', 'resource'] },
  },
  {
    name: 'classification',
    in: 'query',
    required: false,
    schema: { type: 'string', enum: DATA_CLASSIFICATIONS },
  },
  {
    name: 'status',
    in: 'query',
    required: false,
    schema: { type: 'string', enum: BACKUP_STATUS_PRECEDENCE },
  },
] as const;

const dayParam = (name: string, description: string) =>
  ({
    name,
    in: 'query',
    required: false,
    description,
    schema: { type: 'string', format: 'date' },
  } as const);

const source = {
  type: 'string',
  pattern: EVIDENCE_SOURCE_PATTERN,
  description: 'manual, ci, or the name of the submitting tool',
} as const;

const evidenceUrl = {
  type: 'string',
  maxLength: EVIDENCE_LIMITS.url,
  pattern: '^https?://\\S+$',
} as const;

const externalId = {
  type: 'string',
  minLength: 1,
  maxLength: EVIDENCE_LIMITS.shortText,
  description:
    'Makes the submission idempotent: a repeat returns the first record',
} as const;

/**
 * A full entity ref, `kind:namespace/name` (or `kind:name` in the default
 * namespace), as stringifyEntityRef writes it; the catalog's own rules for
 * each part are checked by the route.
 */
const entityRefString = {
  type: 'string',
  minLength: 1,
  maxLength: EVIDENCE_LIMITS.shortText,
  pattern:
    '^[A-Za-z][A-Za-z0-9]*:(?:[A-Za-z0-9]+(?:-+[A-Za-z0-9]+)*/)?[A-Za-z0-9]+(?:[-_.][A-Za-z0-9]+)*$',
} as const;

const ok = { description: 'OK' } as const;
const created = { description: 'Created' } as const;

/** Shape only: the real-calendar and range rules are in backup-common. */
const dateTime = {
  type: 'string',
  format: 'date-time',
  maxLength: 64,
} as const;
/** Whole seconds that every supported database's integer column holds. */
const seconds = {
  type: 'integer',
  minimum: 0,
  maximum: EVIDENCE_LIMITS.maxSeconds,
} as const;

/** Many records of one kind for one entity, chained in order. */
const batchOf = (schema: string) =>
  ({
    type: 'object',
    additionalProperties: false,
    required: ['items'],
    properties: {
      items: {
        type: 'array',
        minItems: 1,
        maxItems: EVIDENCE_LIMITS.maxBatchSize,
        items: { $ref: `#/components/schemas/${schema}` },
      },
    },
  } as const);

const batchPost = (operationId: string, schema: string) =>
  ({
    post: {
      operationId,
      description:
        'Appends many records in order; each is chained, idempotent by externalId and audited. Answers { items: [{ created, record }] } in input order.',
      parameters: entityPathParams,
      requestBody: {
        required: true,
        content: { 'application/json': { schema: batchOf(schema) } },
      },
      responses: { 200: ok, 201: created },
    },
  } as const);

export const spec = {
  openapi: '3.1.0',
  info: {
    title: 'backup',
    version: '1',
    description:
      'Backup assurance: status, restore-test, backup-run, access-review and follow-up evidence',
  },
  servers: [{ url: '/' }],
  components: {
    schemas: {
      ValidationStep: {
        type: 'object',
        additionalProperties: false,
        required: ['type', 'outcome'],
        properties: {
          type: { type: 'string', enum: VALIDATION_STEP_TYPES },
          outcome: { type: 'string', enum: VALIDATION_OUTCOMES },
          notes: { type: 'string', maxLength: EVIDENCE_LIMITS.longText },
        },
      },
      RestoreTestInput: {
        type: 'object',
        additionalProperties: false,
        required: [
          'startedAt',
          'completedAt',
          'result',
          'scope',
          'validation',
          'executor',
        ],
        properties: {
          startedAt: dateTime,
          completedAt: dateTime,
          result: { type: 'string', enum: RESTORE_TEST_RESULTS },
          scope: {
            type: 'string',
            minLength: 1,
            maxLength: EVIDENCE_LIMITS.longText,
          },
          recoveryPointAt: dateTime,
          restoreDurationSeconds: seconds,
          validation: {
            type: 'array',
            maxItems: EVIDENCE_LIMITS.validationSteps,
            items: { $ref: '#/components/schemas/ValidationStep' },
          },
          executor: {
            type: 'string',
            minLength: 1,
            maxLength: EVIDENCE_LIMITS.shortText,
          },
          evidenceUrl,
          issuesFound: { type: 'string', maxLength: EVIDENCE_LIMITS.longText },
          remediation: { type: 'string', maxLength: EVIDENCE_LIMITS.longText },
          source,
          externalId,
          supersedes: {
            type: 'string',
            minLength: 1,
            maxLength: EVIDENCE_LIMITS.shortText,
          },
        },
      },
      BackupRunInput: {
        type: 'object',
        additionalProperties: false,
        required: ['runAt', 'outcome'],
        properties: {
          runAt: dateTime,
          outcome: { type: 'string', enum: BACKUP_RUN_OUTCOMES },
          sizeBytes: {
            type: 'integer',
            minimum: 0,
            maximum: EVIDENCE_LIMITS.maxBytes,
          },
          durationSeconds: seconds,
          message: { type: 'string', maxLength: EVIDENCE_LIMITS.longText },
          source,
          externalId,
        },
      },
      AccessReviewInput: {
        type: 'object',
        additionalProperties: false,
        required: ['reviewedAt', 'reviewer', 'outcome', 'admins'],
        properties: {
          reviewedAt: dateTime,
          reviewer: {
            type: 'string',
            minLength: 1,
            maxLength: EVIDENCE_LIMITS.shortText,
          },
          outcome: { type: 'string', enum: ACCESS_REVIEW_OUTCOMES },
          admins: {
            type: 'array',
            minItems: 1,
            maxItems: EVIDENCE_LIMITS.accessReviewAdmins,
            items: {
              type: 'string',
              minLength: 1,
              maxLength: EVIDENCE_LIMITS.shortText,
            },
          },
          evidenceUrl,
          notes: { type: 'string', maxLength: EVIDENCE_LIMITS.longText },
          source,
          externalId,
        },
      },
      FollowUpInput: {
        type: 'object',
        additionalProperties: false,
        description:
          'Acknowledges (ticketUrl required) or resolves (resolution required) a failed backup run or restore test of the entity',
        required: ['failure', 'action', 'at'],
        properties: {
          failure: {
            type: 'object',
            additionalProperties: false,
            required: ['kind', 'id'],
            properties: {
              kind: { type: 'string', enum: FOLLOW_UP_FAILURE_KINDS },
              id: {
                type: 'string',
                minLength: 1,
                maxLength: EVIDENCE_LIMITS.shortText,
              },
            },
          },
          action: { type: 'string', enum: FOLLOW_UP_ACTIONS },
          ticketUrl: evidenceUrl,
          resolution: {
            type: 'string',
            minLength: 1,
            maxLength: EVIDENCE_LIMITS.longText,
          },
          at: dateTime,
          by: {
            type: 'string',
            minLength: 1,
            maxLength: EVIDENCE_LIMITS.shortText,
          },
          source,
          externalId,
        },
      },
    },
  },
  paths: {
    '/health': { get: { operationId: 'GetHealth', responses: { 200: ok } } },
    '/policy': { get: { operationId: 'GetPolicy', responses: { 200: ok } } },
    '/summary': {
      get: {
        operationId: 'GetSummary',
        parameters: filterParams,
        responses: { 200: ok },
      },
    },
    '/entities': {
      get: {
        operationId: 'ListEntities',
        parameters: [
          ...filterParams,
          {
            name: 'sort',
            in: 'query',
            required: false,
            schema: {
              type: 'string',
              enum: BACKUP_OVERVIEW_SORTS,
              default: 'most-overdue',
            },
          },
          ...pageParams,
        ],
        responses: { 200: ok },
      },
    },
    '/entities/by-refs': {
      post: {
        operationId: 'GetEntityRowsByRefs',
        description:
          'The rows of /entities for these refs, in the order asked: null for a ref that names no component or resource the caller may read. Answers { items }.',
        requestBody: {
          required: true,
          content: {
            'application/json': {
              schema: {
                type: 'object',
                additionalProperties: false,
                required: ['entityRefs'],
                properties: {
                  entityRefs: {
                    type: 'array',
                    minItems: 1,
                    maxItems: EVIDENCE_LIMITS.maxEntityRefsPerCall,
                    items: entityRefString,
                  },
                },
              },
            },
          },
        },
        responses: { 200: ok },
      },
    },
    '/trends': {
      get: {
        operationId: 'GetTrends',
        parameters: [
          dayParam('from', 'First day (default: 90 days ago)'),
          dayParam('to', 'Last day (default: today)'),
          refParam('owner', 'Only this owner group'),
        ],
        responses: { 200: ok },
      },
    },
    '/export': {
      get: {
        operationId: 'ExportEvidence',
        parameters: [
          {
            name: 'format',
            in: 'query',
            required: false,
            schema: { type: 'string', enum: ['csv', 'json'], default: 'csv' },
          },
          dayParam('from', 'First day of restore tests (default: a year ago)'),
          dayParam('to', 'Last day of restore tests (default: today)'),
        ],
        responses: { 200: ok },
      },
    },
    '/entities/{kind}/{namespace}/{name}/status': {
      get: {
        operationId: 'GetStatus',
        parameters: entityPathParams,
        responses: { 200: ok },
      },
    },
    '/entities/{kind}/{namespace}/{name}/restore-tests': {
      get: {
        operationId: 'ListRestoreTests',
        parameters: [...entityPathParams, ...pageParams],
        responses: { 200: ok },
      },
      post: {
        operationId: 'CreateRestoreTest',
        parameters: entityPathParams,
        requestBody: {
          required: true,
          content: {
            'application/json': {
              schema: { $ref: '#/components/schemas/RestoreTestInput' },
            },
          },
        },
        responses: { 200: ok, 201: created },
      },
    },
    '/restore-tests/{id}': {
      get: {
        operationId: 'GetRestoreTest',
        parameters: [
          {
            name: 'id',
            in: 'path',
            required: true,
            schema: { type: 'string' },
          },
        ],
        responses: { 200: ok },
      },
    },
    '/entities/{kind}/{namespace}/{name}/backup-runs': {
      get: {
        operationId: 'ListBackupRuns',
        parameters: [...entityPathParams, ...pageParams],
        responses: { 200: ok },
      },
      post: {
        operationId: 'CreateBackupRun',
        parameters: entityPathParams,
        requestBody: {
          required: true,
          content: {
            'application/json': {
              schema: { $ref: '#/components/schemas/BackupRunInput' },
            },
          },
        },
        responses: { 200: ok, 201: created },
      },
    },
    '/entities/{kind}/{namespace}/{name}/access-reviews': {
      get: {
        operationId: 'ListAccessReviews',
        parameters: [...entityPathParams, ...pageParams],
        responses: { 200: ok },
      },
      post: {
        operationId: 'CreateAccessReview',
        parameters: entityPathParams,
        requestBody: {
          required: true,
          content: {
            'application/json': {
              schema: { $ref: '#/components/schemas/AccessReviewInput' },
            },
          },
        },
        responses: { 200: ok, 201: created },
      },
    },
    '/entities/{kind}/{namespace}/{name}/follow-ups': {
      get: {
        operationId: 'ListFollowUps',
        parameters: [...entityPathParams, ...pageParams],
        responses: { 200: ok },
      },
      post: {
        operationId: 'CreateFollowUp',
        parameters: entityPathParams,
        requestBody: {
          required: true,
          content: {
            'application/json': {
              schema: { $ref: '#/components/schemas/FollowUpInput' },
            },
          },
        },
        responses: { 200: ok, 201: created },
      },
    },
    '/entities/{kind}/{namespace}/{name}/follow-ups/batch': batchPost(
      'CreateFollowUps',
      'FollowUpInput',
    ),
    '/entities/{kind}/{namespace}/{name}/restore-tests/batch': batchPost(
      'CreateRestoreTests',
      'RestoreTestInput',
    ),
    '/entities/{kind}/{namespace}/{name}/backup-runs/batch': batchPost(
      'CreateBackupRuns',
      'BackupRunInput',
    ),
    '/entities/{kind}/{namespace}/{name}/access-reviews/batch': batchPost(
      'CreateAccessReviews',
      'AccessReviewInput',
    ),
    '/entities/{kind}/{namespace}/{name}/evidence/verify': {
      get: {
        operationId: 'VerifyEvidence',
        parameters: entityPathParams,
        responses: { 200: ok },
      },
    },
  },
} as const;
