import { writeFile } from 'node:fs/promises';
import { relative } from 'node:path';
import { apiTypesPath, buildApiDocument, renderApiTypes } from './api-types.ts';

// `npm run gen:api`: regenerates the typed client's types from the OpenAPI document.
const types = await renderApiTypes(await buildApiDocument());
await writeFile(apiTypesPath, types);
process.stdout.write(`wrote ${relative(process.cwd(), apiTypesPath)} (${types.length} bytes)\n`);
