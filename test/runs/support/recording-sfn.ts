/**
 * A Step Functions client that records the commands it is sent and answers
 * DescribeExecution with the statuses a test sets: enough for the code that asks
 * runs to end, without a state machine running behind it.
 */
import { ExecutionAlreadyExists, ExecutionDoesNotExist, type SFNClient } from '@aws-sdk/client-sfn';

export interface SentCommand {
  command: string;
  input: Record<string, unknown>;
}

export interface RecordingSfn {
  client: SFNClient;
  sent: SentCommand[];
  /** DescribeExecution of `executionArn` answers `status` (otherwise ExecutionDoesNotExist). */
  setStatus(executionArn: string, status: string): void;
  /** StartExecution of `name` fails with ExecutionAlreadyExists (a repeated request). */
  alreadyStarted(name: string): void;
  /** Every command fails with `error` (Step Functions unreachable). */
  failWith(error: Error): void;
}

export function recordingSfn(): RecordingSfn {
  const sent: SentCommand[] = [];
  const statuses = new Map<string, string>();
  const started = new Set<string>();
  let failure: Error | undefined;
  const send = async (command: { constructor: { name: string }; input: Record<string, unknown> }) => {
    sent.push({ command: command.constructor.name, input: command.input });
    if (failure) throw failure;
    const { executionArn, name } = command.input as { executionArn?: string; name?: string };
    switch (command.constructor.name) {
      case 'DescribeExecutionCommand': {
        const status = statuses.get(executionArn!);
        if (!status) throw new ExecutionDoesNotExist({ message: `Execution Does Not Exist: '${executionArn}'`, $metadata: {} });
        return { executionArn, status };
      }
      case 'StartExecutionCommand':
        if (started.has(name!)) throw new ExecutionAlreadyExists({ message: `Execution Already Exists: '${name}'`, $metadata: {} });
        return { executionArn: `started:${name}`, startDate: new Date() };
      default:
        return {};
    }
  };
  return {
    client: { send } as unknown as SFNClient,
    sent,
    setStatus: (arn, status) => statuses.set(arn, status),
    alreadyStarted: (name) => started.add(name),
    failWith: (error) => (failure = error),
  };
}
