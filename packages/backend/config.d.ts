export interface Config {
  backup?: {
    /** Demo portal only. */
    demo?: {
      /**
       * Restore-test and backup-run history (examples/evidence.yaml) that the
       * demo backend posts through the backup API at start-up. Unset: nothing
       * is posted.
       */
      evidenceFile?: string;
    };
  };
}
