#!/usr/bin/env node
'use strict';
// Runs the TypeScript CLI from source, so `sb` works in a fresh clone without a build.
// @swc-node/register reads the tsconfig named here (strict settings, decorators and the
// @switchboard/* path aliases) instead of one in whatever folder `sb` is run from.
const path = require('node:path');

const root = path.resolve(__dirname, '..');
process.env.SWC_NODE_PROJECT = path.join(root, 'tsconfig.json');
require('@swc-node/register');
require(path.join(root, 'apps/cli/src/main.ts'));
