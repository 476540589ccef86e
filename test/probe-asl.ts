import aslValidator from 'asl-validator';
import { deployRunDefinition } from '#infra/state-machines/deploy-run';
import { terminateRunDefinition } from '#infra/state-machines/terminate-run';
for (const def of [deployRunDefinition(), terminateRunDefinition()]) {
  const json = JSON.stringify(def).replace(/\$\{(\w+)\}/g, 'arn:aws:lambda:us-east-1:000000000000:function:$1');
  const r = aslValidator(JSON.parse(json));
  console.log(r.isValid, JSON.stringify(r.errors).slice(0, 1500), json.length);
}
