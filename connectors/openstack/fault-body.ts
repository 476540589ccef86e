/**
 * Reads the cloud's own words out of an OpenStack error body. Nova answers
 * `{"<faultName>": {"code", "message"}}` (e.g. `itemNotFound`), Keystone
 * `{"error": {"code", "title", "message"}}`, Glance often plain text or HTML.
 */
import { truncate } from '#connectors/commons/http';

/** The message of an error body, or its first line when it is not JSON. */
export function cloudMessage(text: string): string {
  try {
    const body = JSON.parse(text) as Record<string, unknown>;
    const [only] = Object.values(body);
    if (typeof only === 'object' && only !== null) {
      const { message, title } = only as { message?: unknown; title?: unknown };
      if (typeof message === 'string' && message) return message;
      if (typeof title === 'string' && title) return title;
    }
  } catch {
    // not JSON: fall through to the text itself
  }
  return truncate(text.replace(/<[^>]*>/g, ' ').replace(/\s+/g, ' '));
}
