import { Validations } from 'aws-cdk-lib';
import { AwsSolutionsChecks } from 'cdk-nag';
import type { IConstruct } from 'constructs';
import { describe, expect, it } from 'vitest';
import { placeholderStack } from './placeholder-stack';

/** The rule ids acknowledged on this very construct (not its parents). */
function acknowledgedOn(construct: IConstruct): string[] {
  return construct.node.metadata
    .filter((entry) => entry.type === Validations.ACKNOWLEDGED_RULES_METADATA_KEY)
    .flatMap((entry) => Object.keys(entry.data as Record<string, string>))
    .map((id) => id.replace(/^annotation::/i, ''));
}

/** Every acknowledgement in the tree, as `<construct path> <rule id>`. */
function allAcknowledgements(scope: IConstruct): string[] {
  return scope.node.findAll().flatMap((construct) => acknowledgedOn(construct).map((id) => `${construct.node.path} ${id}`));
}

/**
 * Runs the checks, recording the acknowledgement (the nearest one up the tree, as
 * cdk-nag looks for it) that excused each finding. cdk-nag asks its own
 * `isAcknowledged` for every finding; should a new version rename it, nothing is
 * recorded and the test below fails rather than passes.
 */
function acknowledgementsThatExcused(scope: IConstruct): Set<string> {
  const checks = new AwsSolutionsChecks();
  const excused = new Set<string>();
  Object.assign(checks, {
    isAcknowledged(resource: IConstruct, ruleId: string): boolean {
      for (let construct: IConstruct | undefined = resource; construct; construct = construct.node.scope) {
        if (acknowledgedOn(construct).includes(ruleId)) {
          excused.add(`${construct.node.path} ${ruleId}`);
          return true;
        }
      }
      return false;
    },
  });
  checks.validateScope(scope);
  return excused;
}

describe('cdk-nag AWS Solutions checks', () => {
  it('find no error or warning that is not acknowledged, with its reason, in code', () => {
    const { app } = placeholderStack();

    const report = new AwsSolutionsChecks().validateScope(app);

    const findings = report.violations.map(
      (violation) => `${violation.severity} ${violation.ruleName} at ${violation.violatingResources.map((r) => r.constructPath).join(', ')}`,
    );
    expect(findings).toEqual([]);
  });

  it('need every acknowledgement: each one excuses a finding that would otherwise stop the synth', () => {
    const { app } = placeholderStack();

    const excused = acknowledgementsThatExcused(app);

    expect(allAcknowledgements(app).filter((acknowledgement) => !excused.has(acknowledgement))).toEqual([]);
  });
});
