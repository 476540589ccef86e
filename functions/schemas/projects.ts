/** A caller's projects as `GET /v1/projects` lists them. */
import * as z from 'zod';
import { ProjectPath, pageOf } from './common';

/** A project that holds something, with how many of each resource it holds directly (its subprojects are listed on their own). */
export const ProjectSummary = z.object({
  path: ProjectPath,
  images: z.number().int().min(0),
  deployments: z.number().int().min(0),
  products: z.number().int().min(0),
});

export const ProjectPage = pageOf(ProjectSummary);
