import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { AppFrame } from './features/AppFrame.js';
import { HostKeyDialog } from './features/HostKeyDialog.js';
import { StoresProvider } from './features/StoresContext.js';
import { pickHost } from './host/pickHost.js';
import { createAppStores } from './stores/appStores.js';
import { bindHostEvents } from './stores/bindHostEvents.js';
import { createPromptsStore } from './stores/prompts.js';
import { startApp } from './stores/start.js';
import './styles/theme.css';
import './styles/controls.css';

const root = document.getElementById('app');
if (root !== null) {
  const host = pickHost();
  const stores = createAppStores(host);
  const prompts = createPromptsStore(host);
  bindHostEvents(stores);
  void startApp(stores);
  createRoot(root).render(
    <StrictMode>
      <StoresProvider stores={stores}>
        <AppFrame />
        <HostKeyDialog prompts={prompts} />
      </StoresProvider>
    </StrictMode>,
  );
}
