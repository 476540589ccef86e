import * as z from 'zod';
import { LIMITS, Name, ResourceMeta, mapOf, pageOf } from './common';
import { ParamName } from './images';

export const NodeInput = z.strictObject({
  name: Name,
  /** Image, by name or id. */
  image: z.string().min(1).max(LIMITS.idLength),
  multiplicity: z.number().int().min(1).max(50).default(1),
  connector: Name.optional(),
  instanceType: z.string().min(1).max(64).optional(),
  inputs: mapOf(ParamName, z.string().max(200)).default({}),
});

export const DeploymentInput = z.strictObject({
  name: Name,
  description: z.string().max(1024).optional(),
  nodes: z.array(NodeInput).min(1).max(20),
});
export type DeploymentInputT = z.infer<typeof DeploymentInput>;

/** The request body of POST /v1/deployments, with an example for the document. */
export const CreateDeploymentBody = DeploymentInput.meta({
  examples: [
    {
      name: 'wordpress-site',
      nodes: [
        { name: 'db', image: 'mysql', multiplicity: 1 },
        { name: 'web', image: 'wordpress', multiplicity: 2, inputs: { db_host: 'db:hostname' } },
      ],
    },
  ],
});

export const DeploymentUpdate = DeploymentInput.extend({ version: z.number().int().min(1) });

export const Deployment = ResourceMeta.extend(DeploymentInput.shape);

export const DeploymentPage = pageOf(Deployment);
