/**
 * Turns an OpenStack error reply into a typed cloud error. Quota, unknown image
 * and unknown flavor are told apart by the cloud's message, because Nova answers
 * all of them with a plain 400/403/404; the rest follows the HTTP status classes
 * every cloud shares. The cloud's words are kept in `cause`.
 */
import { errorForStatus, truncate } from '#connectors/commons/http';
import { CloudQuotaExceededError, PermanentCloudError, TransientCloudError, type CloudError } from '#connectors/errors';
import { where, type OpenstackContext } from './context';
import { cloudMessage } from './fault-body';

/** What the failed request was about, so the error can name it. */
export interface ErrorSubject {
  imageId?: string;
  flavorId?: string;
}

/** Nova: "Quota exceeded for instances: Requested 1, but already used 10 of 10 instances". */
const QUOTA = /quota exceeded|exceeds? (the )?(allowed )?quota|over quota/i;
/** Nova's 409 while another operation runs on the server: wait for it to settle. */
const BUSY = /task_state|task state|in the middle of/i;
/** Nova: "Image <id> could not be found.", "Invalid imageRef provided.", "Can not find requested image". */
const NOT_FOUND = /could not be found|can ?not find|not found|invalid/i;

export function openstackError(ctx: OpenstackContext, what: string, status: number, text: string, subject: ErrorSubject = {}): CloudError {
  const message = cloudMessage(text);
  const cause = new Error(`HTTP ${status}: ${message}`);
  const quoted = message ? `: ${truncate(message)}` : '';
  if ((status === 403 || status === 413) && QUOTA.test(message)) {
    return new CloudQuotaExceededError(`the project's quota on ${where(ctx)} is reached (${what})${quoted}`, { cause });
  }
  if (status === 409 && BUSY.test(message)) return new TransientCloudError(`${what} waits for another operation on the server${quoted}`, { cause });
  if (status === 400 || status === 404) {
    if (subject.imageId && /image/i.test(message) && NOT_FOUND.test(message)) {
      return new PermanentCloudError(`image ${subject.imageId} does not exist in ${where(ctx)}${quoted}`, { cause });
    }
    if (subject.flavorId && /flavor/i.test(message) && NOT_FOUND.test(message)) {
      return new PermanentCloudError(`flavor ${subject.flavorId} does not exist in ${where(ctx)}${quoted}`, { cause });
    }
  }
  // Nova's overLimit without a quota message is rate limiting.
  return errorForStatus(what, status === 413 ? 429 : status, message, { credential: ctx.credentialId });
}
