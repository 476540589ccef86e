/**
 * Where the local Step Functions runner keeps its execution records in Slipway's
 * table: the runner's own key formats, apart from Slipway's (`functions/store/keys.ts`).
 * RUNNING records also carry the byType index attributes under the runner's own type,
 * so a restarted runner finds what to resume without scanning.
 */
import { TABLE } from '#functions/store/table';

const RUNNING_TYPE = 'TYPE#sfnexec-running';

export const executionKeys = {
  execution: (stateMachine: string, name: string) => ({ pk: `SFNEXEC#${stateMachine}`, sk: name }),
  executionPrefix: (stateMachine: string) => ({ pk: `SFNEXEC#${stateMachine}` }),
  /** The partition of RUNNING records in the byType index. */
  runningPartition: RUNNING_TYPE,
  /** Index attributes a RUNNING record carries, sorted by start. */
  running: (sortValue: string) => ({ [TABLE.indexes.byType.partitionKey]: RUNNING_TYPE, [TABLE.indexes.byType.sortKey]: sortValue }),
} as const;
