/**
 * The CDK app: one `Slipway` stack, checked against cdk-nag's AWS Solutions rules
 * at every synth (a violation that is not acknowledged in code stops the synth).
 */
import { App, Validations } from 'aws-cdk-lib';
import { AwsSolutionsChecks } from 'cdk-nag';
import { SlipwayStack } from './slipway-stack';

const app = new App();
new SlipwayStack(app, 'Slipway', {
  description: 'Slipway: serverless multi-cloud application deployments.',
});
Validations.of(app).addPlugins(new AwsSolutionsChecks(app, { verbose: true }));
app.synth();
