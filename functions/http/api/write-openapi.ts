/**
 * `npm run openapi`: writes the OpenAPI document of every route, generated from
 * their zod schemas, to functions/http/openapi.generated.json (served by the meta
 * function). `--check` exits 1 when the file is not what the routes generate.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { openApiDocument } from '../kit/openapi';
import { allRoutes } from './all-routes';

export const OPENAPI_FILE = resolve(import.meta.dirname, '../openapi.generated.json');

/** The document as the file holds it. */
export function openApiFileText(): string {
  return `${JSON.stringify(openApiDocument(allRoutes()), null, 2)}\n`;
}

if (process.argv[1] && resolve(process.argv[1]) === resolve(import.meta.filename)) {
  const text = openApiFileText();
  if (process.argv.includes('--check')) {
    const same = readFileSync(OPENAPI_FILE, 'utf8') === text;
    if (!same) console.error(`${OPENAPI_FILE} is out of date: run npm run openapi`);
    process.exit(same ? 0 : 1);
  }
  writeFileSync(OPENAPI_FILE, text);
}
