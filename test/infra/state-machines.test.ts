import aslValidator from 'asl-validator';
import { describe, expect, it } from 'vitest';
import { RETRYABLE_CLOUD_ERRORS } from '#connectors/errors';
import { taskFunctionsUsedBy } from '#infra/constructs/definition-substitutions';
import { deployRunDefinition } from '#infra/state-machines/deploy-run';
import { scaleRunDefinition } from '#infra/state-machines/scale-run';
import { DEPLOY, MIGRATE, SCALE, TEARDOWN } from '#infra/state-machines/state-names';
import { migrateRunDefinition } from '#infra/state-machines/migrate-run';
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
  { machine: 'scale', definition: scaleRunDefinition(), names: Object.values(SCALE) },
  { machine: 'migrate', definition: migrateRunDefinition(), names: Object.values(MIGRATE) },
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
    if (definition === machines.find((m) => m.machine === 'migrate')!.definition) return; // no Map: it only looks at the new run
    for (const [name, state] of overInstances) {
      expect(state.ItemsPath, name).toMatch(/^\$\.((plan|teardown)\.instances|scale\.(add|remove))$/);
      expect(state.MaxConcurrencyPath, name).toBe(state.ItemsPath!.replace(/(instances|add|remove)$/, 'maxIaasWorkers'));
    }
  });
});

describe('the task functions a definition uses', () => {
  it('are read from its placeholders', () => {
    expect(taskFunctionsUsedBy(terminateRunDefinition())).toEqual(['BeginFinalizing', 'TerminateInstance', 'RecordTerminateFailure', 'FinalizeRun']);
  });

  it('of the scale machine: the deploy and teardown tasks it reuses, and its own two', () => {
    expect(taskFunctionsUsedBy(scaleRunDefinition()).sort()).toEqual(
      ['BeginScale', 'CheckInstances', 'CreateInstance', 'FinishScale', 'RecordTerminateFailure', 'TerminateInstance'].sort(),
    );
  });

  it('cannot include an unknown one: synth fails naming the placeholder', () => {
    const definition = { StartAt: 'A', States: { A: { Type: 'Task', Resource: '${ProvisionFunctionArn}', End: true } } };

    expect(() => taskFunctionsUsedBy(definition)).toThrow('${ProvisionFunctionArn}');
  });
});

describe('the scale definition', () => {
  const states = scaleRunDefinition().States as Record<string, { Type: string; Catch?: { Next: string }[]; Next?: string }>;

  it('rolls back on any failure after BeginScale, and ends Failed after giving the run back Ready', () => {
    for (const name of [SCALE.removeInstances, SCALE.addInstances, SCALE.checkScale]) expect(states[name]!.Catch?.[0]?.Next, name).toBe(SCALE.rollBackScale);
    expect(states[SCALE.beginScale]!.Catch?.[0]?.Next).toBe(SCALE.abandonScale);
    expect(states[SCALE.rollBackScale]!.Next).toBe(SCALE.abandonScale);
    expect(states[SCALE.abandonScale]!.Next).toBe(SCALE.scaleRolledBack);
    expect(states[SCALE.scaleRolledBack]!.Type).toBe('Fail');
  });

  it('passes the scale its own poll count base, so its boot deadline counts its own looks', () => {
    expect(JSON.stringify(states[SCALE.checkScale])).toContain('"pollsBefore.$":"$.scale.pollsBefore"');
  });
});

describe('the migrate definition', () => {
  const states = migrateRunDefinition().States as Record<string, { Type: string; Choices?: { StringEquals: string; Next: string }[]; Default?: string }>;

  it('loops Wait → CheckMigration until the new run switched (Succeed) or failed (Fail)', () => {
    expect(states[MIGRATE.isMigrationSettled]!.Choices!.map((c) => [c.StringEquals, c.Next])).toEqual([
      ['switched', MIGRATE.migrated],
      ['failed', MIGRATE.migrationFailed],
    ]);
    expect(states[MIGRATE.isMigrationSettled]!.Default).toBe(MIGRATE.waitForNewRun);
    expect(states[MIGRATE.migrated]!.Type).toBe('Succeed');
    expect(states[MIGRATE.migrationFailed]!.Type).toBe('Fail');
  });
});
