/**
 * Checks responses against the OpenAPI document the API serves: the status must be
 * declared for the operation, the content type must be the declared one, and the
 * body must match its JSON Schema (ajv, draft 2020-12 as OpenAPI 3.1 uses).
 * A mismatch throws with the operation, the status and what did not match.
 */
import { Ajv2020, type ValidateFunction } from 'ajv/dist/2020.js';
import addFormats from 'ajv-formats';
import { openApiDocument } from '#functions/http/kit/openapi';
import { allRoutes } from '#functions/http/api/all-routes';

/** The parts of an OpenAPI document the check reads. */
export interface OpenApiDocument {
  paths: Record<string, Record<string, { operationId?: string; responses: Record<string, { content?: Record<string, unknown> }> }>>;
  [key: string]: unknown;
}

/** A response as a client saw it. */
export interface CheckedResponse {
  status: number;
  contentType: string;
  text: string;
  body: unknown;
}

export interface OpenApiChecker {
  /**
   * @param method HTTP method
   * @param path the path as requested (`/v1/runs/run_…?state=Ready`) or as templated (`/v1/runs/{id}`)
   * @throws Error describing the mismatch
   */
  check(method: string, path: string, response: CheckedResponse): void;
}

const pointer = (...parts: string[]) => parts.map((p) => p.replaceAll('~', '~0').replaceAll('/', '~1')).join('/');
const mediaType = (contentType: string) => contentType.split(';')[0]!.trim().toLowerCase();

/** A checker over `document`. */
export function openApiChecker(document: OpenApiDocument): OpenApiChecker {
  const ajv = new Ajv2020({ strict: false, allErrors: true });
  addFormats.default(ajv);
  ajv.addSchema(document, 'openapi');
  const validators = new Map<string, ValidateFunction>();
  const templates = Object.keys(document.paths).map((template) => ({
    template,
    pattern: new RegExp(`^${template.replace(/[.]/g, '\\.').replace(/\{\w+\}/g, '[^/]+')}$`),
  }));
  const templateOf = (path: string) => {
    const bare = path.split('?')[0]!;
    return document.paths[bare] ? bare : templates.find((t) => t.pattern.test(bare))?.template;
  };
  return {
    check(method, path, response) {
      const template = templateOf(path);
      const operation = template ? document.paths[template]?.[method.toLowerCase()] : undefined;
      const what = `${method.toUpperCase()} ${template ?? path}`;
      if (!template || !operation) throw new Error(`${what}: the document has no such operation`);
      const declared = operation.responses[String(response.status)];
      if (!declared) {
        throw new Error(
          `${what} answered ${response.status}, which the document does not declare (declared: ${Object.keys(operation.responses).join(', ')}): ${response.text}`,
        );
      }
      const content = declared.content ?? {};
      if (!Object.keys(content).length) {
        if (response.text) throw new Error(`${what} ${response.status}: the document declares no body, the response has one: ${response.text}`);
        return;
      }
      const type = mediaType(response.contentType);
      if (!(type in content)) throw new Error(`${what} ${response.status}: content type "${type}", the document declares ${Object.keys(content).join(', ')}`);
      const ref = `openapi#/${pointer('paths', template, method.toLowerCase(), 'responses', String(response.status), 'content', type, 'schema')}`;
      let validate = validators.get(ref);
      if (!validate) {
        validate = ajv.getSchema(ref);
        if (!validate) throw new Error(`${what} ${response.status}: no schema at ${ref}`);
        validators.set(ref, validate);
      }
      if (!validate(response.body)) {
        const errors = (validate.errors ?? []).map(
          (e) => `${e.instancePath || '(body)'} ${e.message}${e.params && 'additionalProperty' in e.params ? ` "${String(e.params.additionalProperty)}"` : ''}`,
        );
        throw new Error(`${what} ${response.status}: the body does not match the document: ${errors.join('; ')}\n${response.text.slice(0, 2000)}`);
      }
    },
  };
}

let built: OpenApiChecker | undefined;

/** A checker over the document the meta function serves, built from the route table in this process. */
export function routeTableChecker(): OpenApiChecker {
  built ??= openApiChecker(openApiDocument(allRoutes()) as unknown as OpenApiDocument);
  return built;
}
