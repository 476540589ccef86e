import * as z from 'zod';
import { Name, PageQuery, ProjectPath, ProjectQuery, Ref, ResourceMeta, mapOf, pageOf } from './common';
import { ParamName } from './images';

export const NodeInput = z.strictObject({
  name: Name,
  /** Image, by id, path (`base/ubuntu`) or name (the deployment's project first, then the top level). */
  image: Ref,
  multiplicity: z.number().int().min(1).max(50).default(1),
  connector: Name.optional(),
  instanceType: z.string().min(1).max(64).optional(),
  inputs: mapOf(ParamName, z.string().max(200)).default({}),
});

export const DeploymentInput = z.strictObject({
  name: Name,
  /** The project it lives in (none: the top level); its name is unique there. */
  project: ProjectPath.optional(),
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

/** `GET /v1/deployments`: a page, of one project (or all). */
export const DeploymentListQuery = z.strictObject({ ...PageQuery.shape, ...ProjectQuery.shape });
