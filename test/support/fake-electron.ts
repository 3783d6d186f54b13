/**
 * Loads electron/main/ modules against a stand-in 'electron' module, since no Electron binary
 * exists here. Call `install()` in `before` and `restore()` in `after`; `requireMain(name)` loads
 * dist/electron/main/<name>.js while the stand-in is installed.
 */
import Module from 'node:module';
import path from 'node:path';

type Loader = (request: string, parent: unknown, isMain: boolean) => unknown;

export function fakeElectronLoader(fake: unknown): { install(): void; restore(): void; requireMain<T>(name: string): T } {
  const mod = Module as unknown as { _load: Loader };
  const original = mod._load;
  const mainDir = path.join(__dirname, '..', '..', 'electron', 'main');
  return {
    install() {
      mod._load = function (request, parent, isMain) {
        if (request === 'electron') return fake;
        return original.call(this, request, parent, isMain);
      };
    },
    restore() { mod._load = original; },
    requireMain: <T>(name: string): T => require(path.join(mainDir, `${name}.js`)) as T,
  };
}
