import { contextBridge } from 'electron';

// Only plain data crosses: nothing here gives the page a way into Node or IPC.
contextBridge.exposeInMainWorld('ferry', { shell: 'electron' });
