import { ConnectorDefinitionError } from '../errors/connector-definition-error';
import { ConnectorPluginError } from '../errors/connector-plugin-error';
import {
  CONNECTOR_KIND,
  type ConnectorDefinition,
  type ConnectorSpec,
  defineConnector,
  sdkVersionProblems,
} from './define-connector';

/**
 * Checks what a plugin module exports (used by the runtime's loader): the default export is a
 * connector, its SDK range admits this SDK, its manifest, names and schemas are valid. Throws
 * `ConnectorPluginError` naming the plugin (`origin`) and every problem found.
 */
export function validateConnectorPlugin(
  moduleExports: unknown,
  origin: string,
): ConnectorDefinition {
  if (
    (typeof moduleExports !== 'object' && typeof moduleExports !== 'function') ||
    moduleExports === null
  ) {
    throw new ConnectorPluginError(origin, [
      'the module exports nothing; it must `export default defineConnector({...})`',
    ]);
  }
  const exported = moduleExports as { default?: unknown; kind?: unknown };
  const candidate = exported.default ?? (exported.kind === CONNECTOR_KIND ? exported : undefined);
  if (candidate === undefined) {
    throw new ConnectorPluginError(origin, [
      'the module has no default export; it must `export default defineConnector({...})`',
    ]);
  }
  if (
    typeof candidate !== 'object' ||
    candidate === null ||
    (candidate as { kind?: unknown }).kind !== CONNECTOR_KIND
  ) {
    throw new ConnectorPluginError(origin, [
      'the default export is not a connector: build it with defineConnector from @switchboard/connector-sdk',
    ]);
  }
  const spec = candidate as ConnectorSpec;
  // Checked first and alone: an incompatible SDK explains every other oddity of the manifest.
  const sdkProblems = sdkVersionProblems(spec.sdkVersion);
  if (sdkProblems.length > 0) throw new ConnectorPluginError(origin, sdkProblems);
  try {
    return defineConnector(spec);
  } catch (error) {
    if (error instanceof ConnectorDefinitionError)
      throw new ConnectorPluginError(origin, error.problems);
    throw error;
  }
}
