import Module from 'node:module';
import * as sdk from '@switchboard/connector-sdk';

/** The name plugins import the SDK by. */
export const CONNECTOR_SDK_PACKAGE = '@switchboard/connector-sdk';

type ResolveFilename = (
  request: string,
  parent: unknown,
  isMain: boolean,
  options?: unknown,
) => string;
const moduleInternals = Module as unknown as { _resolveFilename: ResolveFilename };

let sharedFrom: string | undefined;

/**
 * Lets every plugin `require('@switchboard/connector-sdk')` and get the runtime's own SDK module.
 * In this repository that name is a TypeScript path alias: the TypeScript start resolves it, the
 * compiled one (`npm run runtime:prod`) has no package by that name, so a plugin built outside
 * the repository could not load there. Resolving the name to the module the runtime already uses
 * also keeps one SDK instance per process (its error classes, `instanceof` checks), as a peer
 * dependency would. Other requests resolve as before. Idempotent; returns the SDK's file.
 */
export function shareConnectorSdkWithPlugins(): string {
  if (sharedFrom !== undefined) return sharedFrom;
  const loaded = Object.values(require.cache).find((entry) => entry?.exports === sdk);
  if (loaded === undefined) {
    throw new Error(
      `${CONNECTOR_SDK_PACKAGE}: the runtime's own SDK module is not in the module cache`,
    );
  }
  const file = loaded.filename;
  const resolveFilename = moduleInternals._resolveFilename;
  moduleInternals._resolveFilename = function (this: unknown, request, parent, isMain, options) {
    if (request === CONNECTOR_SDK_PACKAGE) return file;
    return resolveFilename.call(this, request, parent, isMain, options);
  };
  sharedFrom = file;
  return file;
}
