#!/usr/bin/env node
// `slipway` (npx slipway): the CLI is TypeScript, run through tsx like the rest of the project.
import { register } from 'tsx/esm/api';

register({ tsconfig: new URL('../tsconfig.json', import.meta.url).pathname });
await import(new URL('../cli/main.ts', import.meta.url).href);
