import {
  BACKUP_RUN_OUTCOMES,
  EVIDENCE_LIMITS,
  EVIDENCE_SOURCE_PATTERN,
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
    schema: { type: 'integer', minimum: 0, default: 0 },
  },
] as const;

const source = {
  type: 'string',
  pattern: EVIDENCE_SOURCE_PATTERN,
  description: 'manual, ci, or the name of the submitting tool',
} as const;

const externalId = {
  type: 'string',
  minLength: 1,
  maxLength: EVIDENCE_LIMITS.shortText,
  description:
    'Makes the submission idempotent: a repeat returns the first record',
} as const;

const dateTime = { type: 'string', format: 'date-time' } as const;
const ok = { description: 'OK' } as const;
const created = { description: 'Created' } as const;

export const spec = {
  openapi: '3.1.0',
  info: {
    title: 'backup',
    version: '1',
    description:
      'Backup assurance: status, restore-test and backup-run evidence',
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
          restoreDurationSeconds: { type: 'integer', minimum: 0 },
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
          evidenceUrl: {
            type: 'string',
            maxLength: EVIDENCE_LIMITS.url,
            pattern: '^https?://\\S+$',
          },
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
          sizeBytes: { type: 'integer', minimum: 0 },
          durationSeconds: { type: 'integer', minimum: 0 },
          message: { type: 'string', maxLength: EVIDENCE_LIMITS.longText },
          source,
          externalId,
        },
      },
    },
  },
  paths: {
    '/health': { get: { operationId: 'GetHealth', responses: { 200: ok } } },
    '/policy': { get: { operationId: 'GetPolicy', responses: { 200: ok } } },
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
    '/entities/{kind}/{namespace}/{name}/evidence/verify': {
      get: {
        operationId: 'VerifyEvidence',
        parameters: entityPathParams,
        responses: { 200: ok },
      },
    },
  },
} as const;
