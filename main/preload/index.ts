import { contextBridge, ipcRenderer, webUtils } from 'electron';
import { exposeFerryBridge } from './bridge.js';

// A sandboxed preload can require only 'electron': this file is bundled with its imports into one
// CommonJS file (npm run build:preload), which the window loads.
exposeFerryBridge({ contextBridge, ipcRenderer, webUtils });
