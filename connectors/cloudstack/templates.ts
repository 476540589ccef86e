/**
 * Templates as native images: found by name (the idempotency key of createImage),
 * their state read from `listTemplates` (`isready`, and `status`, which the owner
 * sees: "Download Complete", "Processing", "n% Downloaded", or an error text), and
 * deleted with `deleteTemplate`. `templatefilter=self`: the account's own templates.
 */
import type { ImageState } from '#connectors/contract';
import { isCloudError } from '#connectors/errors';
import { waitForJob } from './async-job';
import type { CloudStackContext } from './context';
import { listAll } from './paging';

export interface CloudStackTemplate {
  id: string | number;
  name?: string;
  isready?: boolean;
  status?: string;
  ostypeid?: string | number;
}

/** Status texts of a template that will never become ready (an error string, an abandoned or failed upload). */
const FAILED_STATUS = /error|fail|abandon|corrupt/i;

/** The account's templates named exactly `name`. */
export async function findTemplateByName(ctx: CloudStackContext, name: string): Promise<CloudStackTemplate | undefined> {
  const templates = await listAll<CloudStackTemplate>(ctx.api, 'listTemplates', 'template', { templatefilter: 'self', name }, ctx.tuning.pageSize);
  // `name` may match loosely on some versions: keep exact matches only.
  return templates.find((template) => template.name === name);
}

/** Template `id` of the account (listed once per zone it is in); undefined when the cloud does not know it. */
export async function findTemplateById(ctx: CloudStackContext, id: string, filter = 'self'): Promise<CloudStackTemplate[]> {
  // A list by an id the cloud does not know answers 431: no such template.
  return listAll<CloudStackTemplate>(ctx.api, 'listTemplates', 'template', { templatefilter: filter, id }, ctx.tuning.pageSize, { missingIsEmpty: true });
}

/** The generic state of a template listed once per zone (ready in one zone is ready). */
export function templateImageState(listed: CloudStackTemplate[]): ImageState {
  if (listed.length === 0) return { state: 'gone', rawState: 'absent', reason: 'the account has no template with this id' };
  const ready = listed.find((template) => template.isready === true);
  if (ready) return { state: 'available', rawState: ready.status ?? 'Ready' };
  const status = listed.map((template) => template.status).find((text) => text !== undefined && text !== '') ?? 'Processing';
  if (FAILED_STATUS.test(status)) return { state: 'failed', rawState: status, reason: status };
  return { state: 'pending', rawState: status };
}

export async function cloudStackImageState(ctx: CloudStackContext, imageId: string): Promise<ImageState> {
  return templateImageState(await findTemplateById(ctx, imageId));
}

/**
 * Deletes a template, waiting (bounded) for the job. A template the cloud no longer
 * knows counts as deleted; a job still running at the end of the wait deletes it anyway.
 */
export async function deleteCloudStackTemplate(ctx: CloudStackContext, imageId: string): Promise<void> {
  let jobId: unknown;
  try {
    jobId = (await ctx.api.call('deleteTemplate', { id: imageId }, { write: true })).jobid;
  } catch (error) {
    // A refusal may just mean it is gone already (431 for an unknown id): ask the cloud.
    if (!isCloudError(error) || error.retryable) throw error;
    if ((await cloudStackImageState(ctx, imageId)).state === 'gone') return;
    throw error;
  }
  if (jobId !== undefined) await waitForJob(ctx, String(jobId), 'deleteTemplate', ctx.tuning.destroyWaitMs);
}
