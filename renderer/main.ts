import { APP_NAME } from '../src/shared/model/app.js';

interface FerryBridge {
  readonly shell: string;
}

declare global {
  interface Window {
    readonly ferry?: FerryBridge;
  }
}

const root = document.getElementById('app');
if (root !== null) {
  const title = document.createElement('h1');
  title.textContent = `${APP_NAME} (${window.ferry?.shell ?? 'browser'})`;
  root.append(title);
}
