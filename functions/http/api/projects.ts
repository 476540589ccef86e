/** Projects: the caller's, as a listing of paths with what each holds (the resources carry `project`). */
import { listProjects } from '#functions/store/projects';
import { PageQuery } from '#functions/schemas/common';
import { ProjectPage } from '#functions/schemas/projects';
import { userOf } from '../kit/auth';
import { route } from '../kit/route';

export const projectRoutes = [
  route({
    key: 'GET /v1/projects',
    operationId: 'listProjects',
    summary:
      'List your projects that hold something, by path, with how many images, deployments and products each holds directly (a parent such as `shop` of `shop/backend` is listed when it holds something itself)',
    access: 'user',
    query: PageQuery,
    response: ProjectPage,
    handle: async ({ caller, query }, deps) => listProjects(deps.table, userOf(caller).userId, query),
  }),
];
