/** The document the meta function serves is exactly what the routes' schemas generate. */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { OPENAPI_FILE, openApiFileText } from '#functions/http/api/write-openapi';
import { metaRoutes } from '#functions/http/api/meta';

describe('the prebuilt OpenAPI document', () => {
  it('is up to date with every route (run `npm run openapi` after changing a route or schema)', () => {
    expect(readFileSync(OPENAPI_FILE, 'utf8')).toBe(openApiFileText());
  });

  it('is what GET /v1/openapi.json answers', async () => {
    const documentRoute = metaRoutes.find((r) => r.key === 'GET /v1/openapi.json')!;
    const served = await documentRoute.handle({} as never, {} as never);
    expect(served).toEqual(JSON.parse(openApiFileText()));
  });
});
