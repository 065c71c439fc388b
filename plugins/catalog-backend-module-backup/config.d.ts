export interface Config {
  backup?: {
    enforcement?: {
      /**
       * What the catalog reports for in-scope entities (by the backup
       * policy's scope) that lack a required annotation: `off` (default),
       * `warn` (a warning status item on the entity) or `error` (an error
       * status item, which the entity page's processing-errors panel shows).
       * Either way the entity is stored and keeps updating.
       */
      missingAnnotations?: 'off' | 'warn' | 'error';
    };
  };
}
