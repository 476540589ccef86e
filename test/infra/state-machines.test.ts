import aslValidator from 'asl-validator';
import { describe, expect, it } from 'vitest';
import { RETRYABLE_CLOUD_ERRORS } from '#connectors/errors';
import { taskFunctionsUsedBy } from '#infra/constructs/definition-substitutions';
import { deployRunDefinition } from '#infra/state-machines/deploy-run';
import { DEPLOY, TEARDOWN } from '#infra/state-machines/state-names';
import { substitutionVariable, taskResource, type TaskFunctionName } from '#infra/state-machines/task-functions';
import { terminateRunDefinition } from '#infra/state-machines/terminate-run';

interface State {
  Type: string;
  Resource?: string;
  TimeoutSeconds?: number;
  Retry?: { ErrorEquals: string[]; MaxDelaySeconds?: number; JitterStrategy?: string }[];
  ItemsPath?: string;
  MaxConcurrencyPath?: string;
  ItemProcessor?: { States: Record<string, State> };
}

/** Every state of a definition, nested Map processors included, with its name. */
function allStates(states: Record<string, State>): [string, State][] {
  return Object.entries(states).flatMap(([name, state]) => [
    [name, state] as [string, State],
    ...(state.ItemProcessor ? allStates(state.ItemProcessor.States) : []),
  ]);
}

const withArns = (definition: object) => {
  let json = JSON.stringify(definition);
  for (const name of taskFunctionsUsedBy(definition)) {
    json = json.replaceAll(`\${${substitutionVariable(name)}}`, `arn:aws:lambda:eu-central-1:123456789012:function:slipway-${name}`);
  }
  return JSON.parse(json) as object;
};

/** Tasks that call a cloud through a connector, and so must ride out its transient errors. */
const CLOUD_TASKS: TaskFunctionName[] = ['CreateInstance', 'CheckInstances', 'TerminateInstance'];
const machines = [
  { machine: 'deploy', definition: deployRunDefinition(), names: [...Object.values(DEPLOY), ...Object.values(TEARDOWN)] },
  { machine: 'terminate', definition: terminateRunDefinition(), names: Object.values(TEARDOWN) },
];
const statesOf = (definition: { States: object }) => allStates(definition.States as Record<string, State>);
const tasksOf = (definition: { States: object }) => statesOf(definition).filter(([, state]) => state.Type === 'Task');

describe.each(machines)('the $machine definition', ({ definition, names }) => {
  it('is valid Amazon States Language once the function ARNs are substituted', () => {
    const result = aslValidator(withArns(definition));

    expect(result.errorsText()).toBe('');
    expect(result.isValid).toBe(true);
  });

  it('names its states only with the exported constants', () => {
    const used = statesOf(definition).map(([name]) => name);
    expect(used.filter((name) => !(names as string[]).includes(name))).toEqual([]);
  });

  it('gives every Task a timeout', () => {
    const untimed = tasksOf(definition).filter(([, state]) => state.TimeoutSeconds === undefined);
    expect(untimed.map(([name]) => name)).toEqual([]);
  });

  it('caps and fully jitters every retry of every Task', () => {
    for (const [name, state] of tasksOf(definition)) {
      for (const retrier of state.Retry ?? []) {
        expect(retrier, name).toMatchObject({ MaxDelaySeconds: expect.any(Number), JitterStrategy: 'FULL' });
      }
    }
  });

  it('retries every retryable cloud error on the tasks that call a cloud', () => {
    const cloudTasks = tasksOf(definition).filter(([, state]) => CLOUD_TASKS.some((task) => state.Resource === taskResource(task)));
    for (const [name, state] of cloudTasks) {
      const retried = (state.Retry ?? []).flatMap((retrier) => retrier.ErrorEquals);
      expect(retried, name).toEqual(expect.arrayContaining([...RETRYABLE_CLOUD_ERRORS]));
    }
  });

  it('bounds every Map over instances by the maxIaasWorkers handed with them', () => {
    const overInstances = statesOf(definition).filter(([, state]) => state.Type === 'Map');
    expect(overInstances.length).toBeGreaterThan(0);
    for (const [name, state] of overInstances) {
      expect(state.ItemsPath, name).toMatch(/^\$\.(plan|teardown)\.instances$/);
      expect(state.MaxConcurrencyPath, name).toBe(state.ItemsPath!.replace(/instances$/, 'maxIaasWorkers'));
    }
  });
});

describe('the task functions a definition uses', () => {
  it('are read from its placeholders', () => {
    expect(taskFunctionsUsedBy(terminateRunDefinition())).toEqual(['BeginFinalizing', 'TerminateInstance', 'RecordTerminateFailure', 'FinalizeRun']);
  });

  it('cannot include an unknown one: synth fails naming the placeholder', () => {
    const definition = { StartAt: 'A', States: { A: { Type: 'Task', Resource: '${ProvisionFunctionArn}', End: true } } };

    expect(() => taskFunctionsUsedBy(definition)).toThrow('${ProvisionFunctionArn}');
  });
});
