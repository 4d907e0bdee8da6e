#!/usr/bin/env node
import { App, Validations } from 'aws-cdk-lib';
import { AwsSolutionsChecks } from 'cdk-nag';
import { addQuartermasterStacks } from '../lib/app.ts';

const app = new App();
addQuartermasterStacks(app);
// cdk-nag 3 is a policy-validation plugin, not an Aspect: any unacknowledged AwsSolutions
// finding, error or warning, fails `cdk synth`.
Validations.of(app).addPlugins(new AwsSolutionsChecks(app, { verbose: true }));
