import type { MenuItemConstructorOptions } from 'electron';

export interface AppMenuOptions {
  readonly platform: NodeJS.Platform;
  /** A packaged Ferry has no reload and no developer tools: a reload would drop what the window shows. */
  readonly packaged: boolean;
}

/**
 * The window's native menus, built from Electron's roles so every item has the system's own label and
 * shortcut (Ctrl/Cmd+C, V, X, A, Z; Ctrl/Cmd +, -, 0 for zoom; F11 or Ctrl+Cmd+F for full screen) and
 * copy and paste work in every text field. Closing the window hides Ferry to the tray; Quit ends it.
 */
export function appMenuTemplate({ platform, packaged }: AppMenuOptions): MenuItemConstructorOptions[] {
  const mac = platform === 'darwin';
  const development: MenuItemConstructorOptions[] = packaged ? [] : [{ type: 'separator' }, { role: 'reload' }, { role: 'toggleDevTools' }];
  return [
    ...(mac ? [{ role: 'appMenu' } satisfies MenuItemConstructorOptions] : []),
    { label: '&File', submenu: [{ role: 'close', label: 'Close window' }, ...(mac ? [] : [{ type: 'separator' } as const, { role: 'quit', label: 'Quit Ferry' } as const])] },
    {
      label: '&Edit',
      submenu: [{ role: 'undo' }, { role: 'redo' }, { type: 'separator' }, { role: 'cut' }, { role: 'copy' }, { role: 'paste' }, { role: 'delete' }, { type: 'separator' }, { role: 'selectAll' }],
    },
    {
      label: '&View',
      submenu: [{ role: 'resetZoom' }, { role: 'zoomIn' }, { role: 'zoomOut' }, { type: 'separator' }, { role: 'togglefullscreen' }, ...development],
    },
    { role: 'windowMenu' },
  ];
}
