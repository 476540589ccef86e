import { AwsSolutionsChecks } from 'cdk-nag';
import { describe, expect, it } from 'vitest';
import { placeholderStack } from './placeholder-stack';

describe('cdk-nag AWS Solutions checks', () => {
  it('find no error or warning that is not acknowledged, with its reason, in code', () => {
    const { app } = placeholderStack();

    const report = new AwsSolutionsChecks().validateScope(app);

    const findings = report.violations.map(
      (violation) => `${violation.severity} ${violation.ruleName} at ${violation.violatingResources.map((r) => r.constructPath).join(', ')}`,
    );
    expect(findings).toEqual([]);
  });
});
