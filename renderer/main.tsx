import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { AppFrame } from './features/AppFrame.js';
import { StoresProvider } from './features/StoresContext.js';
import { pickHost } from './host/pickHost.js';
import { createAppStores } from './stores/appStores.js';
import { bindHostEvents } from './stores/bindHostEvents.js';
import { startApp } from './stores/start.js';
import './styles/theme.css';
import './styles/controls.css';

const root = document.getElementById('app');
if (root !== null) {
  const stores = createAppStores(pickHost());
  bindHostEvents(stores);
  void startApp(stores);
  createRoot(root).render(
    <StrictMode>
      <StoresProvider stores={stores}>
        <AppFrame />
      </StoresProvider>
    </StrictMode>,
  );
}
