import { type ScaffoldNames } from '../scaffold-names';

/** `index.ts`: lets the runtime load the folder as a plugin module. */
export function pluginIndexTemplate(n: ScaffoldNames): string {
  return `export { default } from './${n.id}.connector';
`;
}
