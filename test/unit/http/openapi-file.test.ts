/** The document the meta function serves is exactly what the routes' schemas generate. */
import { describe, expect, it } from 'vitest';
import { metaRoutes } from '#functions/http/api/meta';
import { freshOpenApiDocument, packDocument, unpackDocument } from '#functions/http/api/write-openapi';
import { OPENAPI_DOCUMENT_PACKED } from '#functions/http/openapi.generated';

describe('the prebuilt OpenAPI document', () => {
  it('is up to date with every route (run `npm run openapi` after changing a route or schema)', () => {
    expect(unpackDocument(OPENAPI_DOCUMENT_PACKED)).toEqual(freshOpenApiDocument());
  });

  it('is what GET /v1/openapi.json answers', async () => {
    const documentRoute = metaRoutes.find((r) => r.key === 'GET /v1/openapi.json')!;
    const served = await documentRoute.handle({} as never, {} as never);
    expect(served).toEqual(freshOpenApiDocument());
  });

  it('packs losslessly and small', () => {
    const document = freshOpenApiDocument();
    const packed = packDocument(document);
    expect(unpackDocument(packed)).toEqual(document);
    expect(packed.length).toBeLessThan(JSON.stringify(document).length / 10);
  });
});
