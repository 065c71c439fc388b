/**
 * Telling database failures apart, for both engines: "the database cannot be
 * reached right now" (worth a retry and a 503) versus everything else.
 */

/** Node socket errors seen when the server is down or the link drops. */
const SOCKET_CODES = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'ETIMEDOUT',
  'EPIPE',
  'EHOSTUNREACH',
  'ENOTFOUND',
  'EAI_AGAIN',
]);

/**
 * PostgreSQL SQLSTATEs of an unusable connection: class 08 (connection
 * exception), admin/crash shutdown, cannot connect now, too many connections.
 */
const POSTGRES_UNAVAILABLE = /^(08...|57P0[1-3]|53300)$/;

/** SQLite: the file is locked by another writer for longer than the timeout. */
const SQLITE_UNAVAILABLE = new Set(['SQLITE_BUSY', 'SQLITE_LOCKED']);

/** Messages of pg and knex that carry no code. */
const UNAVAILABLE_MESSAGES = [
  /Connection terminated/i,
  /connection error and is not queryable/i,
  /timeout exceeded when trying to connect/i,
  /Timeout acquiring a connection/i,
  /the database system is (starting up|shutting down|in recovery mode)/i,
  /terminating connection due to administrator command/i,
];

/** True when the database could not be reached or dropped the connection. */
export function isDatabaseUnavailable(error: unknown): boolean {
  if (!error || typeof error !== 'object') return false;
  const { code, name, message } = error as {
    code?: unknown;
    name?: unknown;
    message?: unknown;
  };
  if (typeof code === 'string') {
    if (SOCKET_CODES.has(code) || SQLITE_UNAVAILABLE.has(code)) return true;
    if (POSTGRES_UNAVAILABLE.test(code)) return true;
  }
  if (name === 'KnexTimeoutError') return true;
  return (
    typeof message === 'string' &&
    UNAVAILABLE_MESSAGES.some(pattern => pattern.test(message))
  );
}
