import { LoggerService } from '@backstage/backend-plugin-api';
import { isError, ServiceUnavailableError } from '@backstage/errors';
import { randomBytes } from 'crypto';
import { ErrorRequestHandler } from 'express';
import { isDatabaseUnavailable } from '../database/databaseErrors';

/** Seconds a client should wait before retrying while a dependency is down. */
export const RETRY_AFTER_SECONDS = 5;

/** Errors whose message was written for the client (`@backstage/errors`). */
const CLIENT_ERRORS = new Set([
  'InputError',
  'AuthenticationError',
  'NotAllowedError',
  'NotFoundError',
  'ConflictError',
  'NotModifiedError',
  'ServiceUnavailableError',
]);

const statusOf = (error: Error): number | undefined => {
  const { statusCode, status } = error as {
    statusCode?: unknown;
    status?: unknown;
  };
  const code = typeof statusCode === 'number' ? statusCode : status;
  return typeof code === 'number' ? code : undefined;
};

/** A call to another plugin (the catalog, permissions) that its server failed. */
function isUpstreamFailure(error: Error): boolean {
  if (error.name === 'ResponseError') {
    return (statusOf(error) ?? 500) >= 500;
  }
  // fetch() rejects with a TypeError whose cause is the socket error
  return error.name === 'TypeError' && isDatabaseUnavailable(error.cause);
}

/**
 * What the client is told about an error: its own mistakes in full, a 503
 * with Retry-After while the database or the catalog cannot answer, and for
 * anything else an opaque 500 with a log id, so that no SQL, table name,
 * driver text or host:port ever reaches a client (Backstage's own filter
 * covers PostgreSQL's DatabaseError only, not SQLite or knex).
 */
export function createErrorTranslator(
  logger: LoggerService,
): ErrorRequestHandler {
  return (error, _req, res, next) => {
    if (!isError(error) || res.headersSent) {
      next(error);
      return;
    }
    const status = statusOf(error);
    if (
      CLIENT_ERRORS.has(error.name) ||
      (status !== undefined && status >= 400 && status < 500)
    ) {
      next(error);
      return;
    }
    if (isDatabaseUnavailable(error) || isUpstreamFailure(error)) {
      logger.warn(`Dependency unavailable: ${error.message}`);
      res.setHeader('Retry-After', String(RETRY_AFTER_SECONDS));
      next(
        new ServiceUnavailableError(
          'Backup evidence is temporarily unavailable (the database or the catalog cannot be reached); try again shortly',
        ),
      );
      return;
    }
    const logId = randomBytes(10).toString('hex');
    logger.error(`Internal error logId=${logId}`, error);
    const opaque = new Error(`An internal error occurred logId=${logId}`);
    delete opaque.stack;
    next(opaque);
  };
}
