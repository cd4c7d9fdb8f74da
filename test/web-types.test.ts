import fs from 'node:fs/promises';
import { expect, it } from 'vitest';
import { openapiTypes, typesFile } from '../web/scripts/openapi-types.js';

it('the web app’s API types are generated from the OpenAPI document as it is now (npm run web:types)', async () => {
  expect(await fs.readFile(typesFile, 'utf8'), 'web/src/api/openapi.d.ts is out of date: run npm run web:types').toBe(await openapiTypes());
});
