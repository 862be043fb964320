/**
 * Folder = runtime. These import rules keep the core free of Electron and the DOM, the renderer free of
 * Node, and the preload down to the contract it bridges. test/lint/boundaries.test.ts plants a violation
 * of each rule to prove it fires.
 */
const NODE_BUILTINS = ['node:*', 'fs', 'fs/*', 'path', 'os', 'child_process', 'net', 'tls', 'crypto', 'stream', 'stream/*', 'http', 'https', 'worker_threads'];

/** @param {unknown[]} patterns @returns {import('eslint').Linter.RulesRecord} */
const restrict = (patterns) => ({ 'no-restricted-imports': ['error', { patterns }] });

/** @type {import('eslint').Linter.Config[]} */
export const boundaries = [
  {
    files: ['src/**/*.ts'],
    rules: restrict([
      { group: ['electron', 'electron/*'], message: 'src/ is plain Node: Electron belongs in main/.' },
      { group: ['react', 'react-dom', 'react/*', 'zustand'], message: 'src/ has no UI: React belongs in renderer/.' },
      { regex: '(^|/)(main|renderer)/', message: 'src/ may not import from main/ or renderer/.' },
    ]),
  },
  {
    files: ['src/shared/**/*.ts'],
    rules: restrict([
      { group: NODE_BUILTINS, message: 'src/shared/ runs in the renderer too: no Node built-ins.' },
      { group: ['electron', 'electron/*', 'react', 'react-dom'], message: 'src/shared/ is isomorphic.' },
      { regex: '^\\.\\./\\.\\./', message: 'src/shared/ may import only from src/shared/.' },
      { regex: '^\\.\\./(?!shared/|util/|model/|contract/)', message: 'src/shared/ may import only from src/shared/.' },
    ]),
  },
  {
    files: ['main/**/*.ts'],
    ignores: ['main/preload/**'],
    rules: restrict([
      { group: ['react', 'react-dom', 'react/*'], message: 'main/ has no UI.' },
      { regex: '(^|/)renderer/', message: 'main/ may not import the renderer.' },
    ]),
  },
  {
    files: ['main/preload/**/*.ts'],
    rules: restrict([
      { group: NODE_BUILTINS, message: 'A sandboxed preload can load only electron.' },
      // Files beside the preload are bundled into it (npm run build:preload); anything further is not allowed.
      { regex: '^\\.(?!/[^/]+$)(?!.*/src/shared/)', message: 'The preload may import only electron and src/shared/ (and files beside it).' },
    ]),
  },
  {
    files: ['renderer/**/*.ts', 'renderer/**/*.tsx'],
    rules: restrict([
      { group: NODE_BUILTINS, message: 'The renderer runs in a browser: no Node built-ins.' },
      { group: ['electron', 'electron/*'], message: 'The renderer reaches the app only through the host API.' },
      { regex: '(^|/)src/(?!shared/)', message: 'The renderer may import only src/shared/ from the core.' },
      { regex: '(^|/)main/', message: 'The renderer may not import main/.' },
    ]),
  },
];
