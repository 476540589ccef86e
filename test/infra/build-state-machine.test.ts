/**
 * The image build state machine: valid ASL, named states, bounded loops and deadline, every failure caught
 * into RecordBuildFailure and every path through TerminateBuilder; and how the stack deploys it.
 */
import aslValidator from 'asl-validator';
import { describe, expect, it } from 'vitest';
import { ENV } from '#functions/commons/env';
import { NEEDS } from '#functions/commons/function-needs';
import { taskFunctionsUsedBy } from '#infra/constructs/definition-substitutions';
import { BUILD_TIMEOUT_SECONDS, buildImageDefinition } from '#infra/state-machines/build-image';
import { BUILD, STATE_MACHINES } from '#infra/state-machines/state-names';
import { substitutionVariable } from '#infra/state-machines/task-functions';
import { actionsOf, placeholderTemplate } from './placeholder-stack';

interface State {
  Type: string;
  Next?: string;
  Default?: string;
  Choices?: { Next: string }[];
  Catch?: { ErrorEquals: string[]; Next: string }[];
  Retry?: { ErrorEquals: string[] }[];
  TimeoutSeconds?: number;
}

const definition = buildImageDefinition();
const states = definition.States as Record<string, State>;

const withArns = (json: object) => {
  let text = JSON.stringify(json);
  for (const name of taskFunctionsUsedBy(json)) {
    text = text.replaceAll(`\${${substitutionVariable(name)}}`, `arn:aws:lambda:eu-central-1:123456789012:function:slipway-${name}`);
  }
  return JSON.parse(text) as object;
};

/** Every state reachable from `from` (Next, Default, Choices, Catch). */
function reachable(from: string, seen = new Set<string>()): Set<string> {
  if (seen.has(from)) return seen;
  seen.add(from);
  const state = states[from]!;
  for (const next of [state.Next, state.Default, ...(state.Choices ?? []).map((c) => c.Next), ...(state.Catch ?? []).map((c) => c.Next)]) {
    if (next) reachable(next, seen);
  }
  return seen;
}

describe('the build definition', () => {
  it('is valid Amazon States Language once the function ARNs are substituted', () => {
    const result = aslValidator(withArns(definition));
    expect(result.errorsText()).toBe('');
    expect(result.isValid).toBe(true);
  });

  it('names its states only with the BUILD constants, and uses each of them', () => {
    expect(Object.keys(states).sort()).toEqual(Object.values(BUILD).sort());
  });

  it('catches every failure of the build steps into RecordBuildFailure, which always goes on to TerminateBuilder', () => {
    for (const name of [BUILD.launchBuilder, BUILD.checkBuilder, BUILD.snapshotBuilder, BUILD.checkBuiltImage, BUILD.recordBuiltImage]) {
      expect(states[name]?.Catch, name).toEqual([expect.objectContaining({ ErrorEquals: ['States.ALL'], Next: BUILD.recordBuildFailure })]);
      expect(states[name]?.TimeoutSeconds, name).toBeGreaterThan(0);
    }
    expect(states[BUILD.recordBuildFailure]).toMatchObject({
      Next: BUILD.terminateBuilder,
      Catch: [{ ErrorEquals: ['States.ALL'], Next: BUILD.terminateBuilder }],
    });
  });

  it('reaches an end only through TerminateBuilder', () => {
    const ends = Object.entries(states).filter(([, s]) => s.Type === 'Succeed' || s.Type === 'Fail');
    expect(ends.map(([name]) => name).sort()).toEqual([BUILD.buildFailed, BUILD.buildSucceeded]);
    for (const name of Object.keys(states).filter((n) => n !== BUILD.terminateBuilder && n !== BUILD.isBuildSucceeded)) {
      if (states[name]!.Type === 'Succeed' || states[name]!.Type === 'Fail') continue;
      expect(reachable(name).has(BUILD.terminateBuilder), name).toBe(true);
    }
    expect([...reachable(BUILD.terminateBuilder)].sort()).toEqual(
      [BUILD.buildFailed, BUILD.buildSucceeded, BUILD.isBuildSucceeded, BUILD.terminateBuilder].sort(),
    );
  });

  it('is bounded in time: the recipe and image deadlines and an hour more', () => {
    expect(definition.TimeoutSeconds).toBe(BUILD_TIMEOUT_SECONDS);
    expect(BUILD_TIMEOUT_SECONDS).toBeLessThanOrEqual(3 * 3600);
  });
});

describe('the stack', () => {
  const { ofType, logicalIdOf, environmentOf, statementsOf } = placeholderTemplate();
  const [machineId, machine] = ofType('AWS::StepFunctions::StateMachine').find(([, r]) => r.Properties.StateMachineName === STATE_MACHINES.build) ?? [];

  it('deploys slipway-build as a STANDARD machine that logs ALL and traces, its tasks substituted with their functions', () => {
    expect(machine?.Properties).toMatchObject({
      StateMachineType: 'STANDARD',
      LoggingConfiguration: { Level: 'ALL' },
      TracingConfiguration: { Enabled: true },
      DefinitionSubstitutions: Object.fromEntries(
        taskFunctionsUsedBy(definition).map((task) => [substitutionVariable(task), { 'Fn::GetAtt': [logicalIdOf(task), 'Arn'] }]),
      ),
    });
  });

  it('lets the images function (only) start builds, and gives LaunchBuilder the API URL for the builder callbacks', () => {
    expect(NEEDS.startsBuilds).toEqual(['images']);
    const starts = statementsOf('images').filter((s) => actionsOf(s).includes('states:StartExecution'));
    expect(environmentOf('images')[ENV.buildStateMachineArn]).toEqual({ Ref: machineId });
    expect(starts.flatMap((s) => [s.Resource].flat())).toContainEqual({ Ref: machineId });
    expect(ENV.apiUrl in environmentOf('LaunchBuilder')).toBe(true);
    expect(ENV.buildStateMachineArn in environmentOf('runs')).toBe(false);
  });

  it('lets the execution sweep describe build and scale executions, and nothing more', () => {
    expect(NEEDS.watchesBuilds).toEqual(['executionSweep']);
    expect(NEEDS.watchesScales).toEqual(['executionSweep']);
    const states = statementsOf('executionSweep').filter((s) => actionsOf(s).some((a) => a.startsWith('states:')));
    expect(new Set(states.flatMap(actionsOf))).toEqual(new Set(['states:DescribeExecution']));
    const resources = JSON.stringify(states.flatMap((s) => [s.Resource].flat()));
    expect(resources).toContain(':execution:slipway-build:*');
    expect(resources).toContain(':execution:slipway-scale-run:*');
    expect(environmentOf('executionSweep')[ENV.buildStateMachineArn]).toEqual({ Ref: machineId });
    expect(ENV.scaleStateMachineArn in environmentOf('executionSweep')).toBe(true);
    expect(ENV.deployStateMachineArn in environmentOf('executionSweep')).toBe(false);
  });
});
