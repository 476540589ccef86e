/**
 * The CDK app: one `Slipway` stack, checked against cdk-nag's AWS Solutions rules
 * at every synth (a violation not acknowledged in code stops the synth).
 * `cdk synth -c code=inline-placeholder` synthesizes the template without bundling.
 */
import { App, Validations } from 'aws-cdk-lib';
import { AwsSolutionsChecks } from 'cdk-nag';
import type { CodeMode } from './constructs/slipway-function';
import { SlipwayStack } from './slipway-stack';

const app = new App();
const code: CodeMode = app.node.tryGetContext('code') === 'inline-placeholder' ? 'inline-placeholder' : 'bundle';
new SlipwayStack(app, 'Slipway', {
  description: 'Slipway: serverless multi-cloud application deployments.',
  code,
});
Validations.of(app).addPlugins(new AwsSolutionsChecks(app, { verbose: true }));
app.synth();
