import { BorgDriver } from './borg/BorgDriver';
import { PgBackRestDriver } from './pgbackrest/PgBackRestDriver';
import { ResticDriver } from './restic/ResticDriver';
import { ToolDriver, ToolName, ToolOptions } from './ToolDriver';

export { TOOL_NAMES } from './ToolDriver';
export type {
  RecoveryPoint,
  RestoredCopy,
  StepReport,
  ToolDriver,
  ToolName,
  ToolOptions,
} from './ToolDriver';

const DRIVERS: Record<ToolName, (options: ToolOptions) => ToolDriver> = {
  restic: options => ResticDriver.create(options),
  pgbackrest: options => PgBackRestDriver.create(options),
  borg: options => BorgDriver.create(options),
};

/** The driver of a tool, configured from the command line and environment. */
export function createToolDriver(
  tool: ToolName,
  options: ToolOptions,
): ToolDriver {
  return DRIVERS[tool](options);
}
