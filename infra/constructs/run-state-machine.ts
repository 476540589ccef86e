/**
 * One of the run state machines, built from its shared ASL definition: each
 * `${<Name>FunctionArn}` placeholder becomes that task function's ARN, and the
 * machine may invoke exactly the functions its definition names.
 */
import { Aws, RemovalPolicy, Validations } from 'aws-cdk-lib';
import { PolicyStatement } from 'aws-cdk-lib/aws-iam';
import type { IFunction } from 'aws-cdk-lib/aws-lambda';
import { LogGroup, RetentionDays } from 'aws-cdk-lib/aws-logs';
import { DefinitionBody, LogLevel, StateMachine, StateMachineType } from 'aws-cdk-lib/aws-stepfunctions';
import { Construct } from 'constructs';
import type { EnvName } from '#functions/commons/env';
import { substitutionVariable, type TaskFunctionName } from '#infra/state-machines/task-functions';
import { taskFunctionsUsedBy } from './definition-substitutions';
import type { SlipwayFunction } from './slipway-function';

export interface RunStateMachineProps {
  /** The machine's name, from `STATE_MACHINES`; operators find executions by it and the run id. */
  readonly stateMachineName: string;
  /** The ASL definition with `${<Name>FunctionArn}` Task resources. */
  readonly definition: object;
  /** The task functions by name; must hold every one the definition uses. */
  readonly taskFunctions: Readonly<Record<TaskFunctionName, IFunction>>;
  /** @default RetentionDays.ONE_MONTH */
  readonly logRetention?: RetentionDays;
}

export class RunStateMachine extends Construct {
  readonly stateMachine: StateMachine;
  /** The task functions this machine's definition calls. */
  readonly usedTaskFunctions: readonly TaskFunctionName[];
  /** The machine's name, as given in the props. */
  readonly name: string;

  constructor(scope: Construct, id: string, props: RunStateMachineProps) {
    super(scope, id);
    this.name = props.stateMachineName;
    this.usedTaskFunctions = taskFunctionsUsedBy(props.definition);
    const functions = this.usedTaskFunctions.map((name) => props.taskFunctions[name]);
    const logGroup = new LogGroup(this, 'Logs', {
      // The vended-logs prefix keeps Step Functions' log delivery within the resource policy size limit.
      logGroupName: `/aws/vendedlogs/states/${props.stateMachineName}`,
      retention: props.logRetention ?? RetentionDays.ONE_MONTH,
      removalPolicy: RemovalPolicy.DESTROY,
    });
    this.stateMachine = new StateMachine(this, 'StateMachine', {
      stateMachineName: props.stateMachineName,
      stateMachineType: StateMachineType.STANDARD,
      definitionBody: DefinitionBody.fromString(JSON.stringify(props.definition)),
      definitionSubstitutions: Object.fromEntries(this.usedTaskFunctions.map((name) => [substitutionVariable(name), props.taskFunctions[name].functionArn])),
      logs: { destination: logGroup, level: LogLevel.ALL, includeExecutionData: true },
      tracingEnabled: true,
    });
    // Unqualified ARNs only: the definition invokes no version or alias.
    this.stateMachine.addToRolePolicy(new PolicyStatement({ actions: ['lambda:InvokeFunction'], resources: functions.map((fn) => fn.functionArn) }));
    Validations.of(this.stateMachine).acknowledge({
      id: 'AwsSolutions-IAM5[Resource::*]',
      reason:
        'CloudWatch Logs delivery (logs:*LogDelivery, PutResourcePolicy, Describe*) and X-Ray writes take no resource-level permissions; Step Functions requires Resource "*".',
    });
  }

  get stateMachineArn(): string {
    return this.stateMachine.stateMachineArn;
  }

  /**
   * Lets `fn` start this machine's executions and stop or describe them (`describeOnly`:
   * describe them only), and sets `envName` on it to the machine's ARN.
   */
  grantExecutionControl(fn: SlipwayFunction, envName: EnvName, options: { describeOnly?: boolean } = {}): void {
    const executions = `arn:${Aws.PARTITION}:states:${Aws.REGION}:${Aws.ACCOUNT_ID}:execution:${this.name}:*`;
    if (!options.describeOnly) fn.addToRolePolicy(new PolicyStatement({ actions: ['states:StartExecution'], resources: [this.stateMachineArn] }));
    const actions = options.describeOnly ? ['states:DescribeExecution'] : ['states:StopExecution', 'states:DescribeExecution'];
    fn.addToRolePolicy(new PolicyStatement({ actions, resources: [executions] }));
    fn.addEnvironment(envName, this.stateMachineArn);
    Validations.of(fn.executionRole).acknowledge({
      id: `AwsSolutions-IAM5[Resource::arn:<AWS::Partition>:states:<AWS::Region>:<AWS::AccountId>:execution:${this.name}:*]`,
      reason: `Execution ARNs end in the execution name (the run id), unknown until a run starts; the wildcard stays within ${this.name}.`,
    });
  }
}
