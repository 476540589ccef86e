/**
 * The Slipway stack with placeholder function code: the template of a real synth
 * but for each function's `Code`, built without running esbuild.
 */
import { App } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import type { CfnRole } from 'aws-cdk-lib/aws-iam';
import type { CfnFunction } from 'aws-cdk-lib/aws-lambda';
import { SlipwayStack, type FunctionName } from '#infra/slipway-stack';

export interface PolicyStatementJson {
  Effect: string;
  Action: string | string[];
  Resource: unknown;
  Principal?: unknown;
  Condition?: unknown;
  NotAction?: unknown;
  NotResource?: unknown;
}

export interface ResourceJson {
  Type: string;
  Properties: Record<string, unknown>;
  DeletionPolicy?: string;
}

/** A statement's actions as a list, whether the template holds one or several. */
export const actionsOf = (statement: PolicyStatementJson): string[] => [statement.Action ?? []].flat();
/** A statement's resources as a list. */
export const resourcesOf = (statement: PolicyStatementJson): unknown[] => [statement.Resource ?? []].flat();

export function placeholderStack() {
  const app = new App();
  const stack = new SlipwayStack(app, 'Slipway', { code: 'inline-placeholder' });
  return { app, stack };
}

/** The stack's template and helpers to find a function's resource by its Slipway name. */
export function placeholderTemplate() {
  const { stack } = placeholderStack();
  const template = Template.fromStack(stack);
  const resources = template.toJSON().Resources as Record<string, ResourceJson>;
  /** Every resource of a CloudFormation type, as `[logicalId, resource]`. */
  const ofType = (type: string) => Object.entries(resources).filter(([, resource]) => resource.Type === type);
  const logicalIdOf = (name: FunctionName) => stack.getLogicalId(stack.functions[name].node.defaultChild as CfnFunction);
  const functionProps = (name: FunctionName) => resources[logicalIdOf(name)]!.Properties;
  const environmentOf = (name: FunctionName) => (functionProps(name).Environment as { Variables: Record<string, unknown> }).Variables;
  /** The statements of every policy attached to the function's role. */
  const statementsOf = (name: FunctionName) => {
    const role = stack.getLogicalId(stack.functions[name].executionRole.node.defaultChild as CfnRole);
    return Object.values(resources)
      .filter((r) => r.Type === 'AWS::IAM::Policy' && JSON.stringify(r.Properties.Roles) === JSON.stringify([{ Ref: role }]))
      .flatMap((r) => (r.Properties.PolicyDocument as { Statement: PolicyStatementJson[] }).Statement);
  };
  return { stack, template, resources, ofType, logicalIdOf, functionProps, environmentOf, statementsOf };
}
