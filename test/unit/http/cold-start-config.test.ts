/** Configuration is read once, when a function starts, and a missing variable stops it there. */
import { describe, expect, it } from 'vitest';
import { ENV, readConfig } from '#functions/commons/env';

const complete = {
  [ENV.table]: 'slipway',
  [ENV.deployStateMachineArn]: 'arn:aws:states:us-east-1:000000000000:stateMachine:deploy',
  [ENV.terminateStateMachineArn]: 'arn:aws:states:us-east-1:000000000000:stateMachine:terminate',
  [ENV.secretsKey]: 'kms:key',
};

describe('readConfig', () => {
  it('a function that starts executions fails to start without a state machine ARN, naming it', () => {
    // Prepare
    const env = { ...complete, [ENV.deployStateMachineArn]: '' };

    // Act
    const read = () => readConfig({ executions: true }, env);

    // Assess
    expect(read).toThrow(`Environment variable(s) not set: ${ENV.deployStateMachineArn}`);
  });

  it('names every missing variable at once', () => {
    // Act
    const read = () => readConfig({ executions: true, secrets: true }, {});

    // Assess
    expect(read).toThrow(`${ENV.table}, ${ENV.deployStateMachineArn}, ${ENV.terminateStateMachineArn}, ${ENV.scaleStateMachineArn}, ${ENV.secretsKey}`);
  });

  it('a function that needs only the table starts without the ARNs and holds none', () => {
    // Act
    const config = readConfig({}, { [ENV.table]: 'slipway' });

    // Assess
    expect(config).toEqual({ table: 'slipway' });
  });
});
