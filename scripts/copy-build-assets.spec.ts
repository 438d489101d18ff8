import { existsSync, mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { copyBuildAssets } from './copy-build-assets';

function write(root: string, path: string, text = path): void {
  mkdirSync(dirname(join(root, path)), { recursive: true });
  writeFileSync(join(root, path), text);
}

describe('copyBuildAssets', () => {
  it('copies templates and static files beside the compiled code, not sources, docs or tests', () => {
    const root = mkdtempSync(join(tmpdir(), 'sb-assets-'));
    write(root, 'apps/runtime/src/dashboard/views/layout.hbs', '<html>{{{body}}}</html>');
    write(root, 'apps/runtime/src/dashboard/assets/dashboard.js');
    write(root, 'apps/runtime/src/dashboard/dashboard-views.ts');
    write(root, 'apps/runtime/src/alerts/README.md');
    write(root, 'connectors/clarity/test/fixtures/order.json');
    write(root, 'libs/connector-sdk/src/testing/fixture.json');

    const copied = copyBuildAssets(root, join(root, 'dist'));

    expect(copied.sort()).toEqual([
      'apps/runtime/src/dashboard/assets/dashboard.js',
      'apps/runtime/src/dashboard/views/layout.hbs',
    ]);
    expect(
      readFileSync(join(root, 'dist/apps/runtime/src/dashboard/views/layout.hbs'), 'utf8'),
    ).toBe('<html>{{{body}}}</html>');
    expect(existsSync(join(root, 'dist/apps/runtime/src/dashboard/dashboard-views.ts'))).toBe(
      false,
    );
  });

  it('finds every file the runtime reads beside its code in this repository', () => {
    const root = resolve(__dirname, '..');
    const copied = copyBuildAssets(root, mkdtempSync(join(tmpdir(), 'sb-assets-out-')));
    expect(copied).toEqual(
      expect.arrayContaining([
        'apps/runtime/src/dashboard/views/layout.hbs',
        'apps/runtime/src/dashboard/assets/dashboard.css',
      ]),
    );
  });
});
