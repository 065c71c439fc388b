/**
 * The `backup-assurance` command: evidence straight from the backup tools.
 *
 * @packageDocumentation
 */
import { main } from './main';

main(process.argv).then(code => {
  process.exitCode = code;
});
