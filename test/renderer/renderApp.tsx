import { render, type RenderResult } from '@testing-library/react';
import { AppFrame } from '../../renderer/features/AppFrame.js';
import { StoresProvider } from '../../renderer/features/StoresContext.js';
import { memoryHost, type MemoryHost } from '../../renderer/host/memoryHost.js';
import { createAppStores, type AppStores } from '../../renderer/stores/appStores.js';
import { bindHostEvents } from '../../renderer/stores/bindHostEvents.js';
import { openRememberedPanes, type PaneStorage } from '../../renderer/stores/paneMemory.js';
import type { Entry } from '../../src/shared/contract/models.js';

type Scroll = (this: Element, ...args: Parameters<Element['scroll']>) => void;
const happyScroll = Object.getOwnPropertyDescriptor(Element.prototype, 'scroll')?.value as Scroll;

/**
 * happy-dom lays nothing out: every element measures 0×0, so a virtualized list would show no rows, and
 * scrolling from script fires no `scroll` event, as a browser's does. Both are put right here.
 */
export function giveElementsASize(width = 800, height = 560): void {
  Object.defineProperty(HTMLElement.prototype, 'clientWidth', { configurable: true, get: () => width });
  Object.defineProperty(HTMLElement.prototype, 'clientHeight', { configurable: true, get: () => height });
  // A scroller is as tall as the sized box inside it (a virtual list's spacer, maybe below a header).
  Object.defineProperty(HTMLElement.prototype, 'scrollHeight', {
    configurable: true,
    get(this: HTMLElement) {
      const sized = this.querySelector<HTMLElement>(':scope > [style*="height"], :scope > * > [style*="height"]');
      const inner = sized === null ? Number.NaN : Number.parseFloat(sized.style.height);
      return Number.isNaN(inner) ? height : Math.max(height, inner);
    },
  });
  Object.defineProperty(Element.prototype, 'scroll', {
    configurable: true,
    value: function scroll(this: Element, ...args: Parameters<Element['scroll']>) {
      happyScroll.apply(this, args);
      this.dispatchEvent(new Event('scroll'));
    },
  });
}

export interface RenderedApp extends RenderResult {
  readonly host: MemoryHost;
  readonly stores: AppStores;
}

/**
 * The whole window around an in-memory host whose connections and folders the test set up. With a
 * `storage`, the panes open as at a start of the app: where that storage remembers them, else on `panes`.
 */
export async function renderApp(host: MemoryHost, panes: { readonly left?: string; readonly right?: string } = {}, storage?: PaneStorage): Promise<RenderedApp> {
  giveElementsASize();
  const stores = createAppStores(host, panes);
  bindHostEvents(stores);
  await stores.connections.getState().load();
  const rendered = render(
    <StoresProvider stores={stores}>
      <AppFrame />
    </StoresProvider>,
  );
  const { left, right } = stores.panes.getState();
  if (storage === undefined) {
    stores.panes.getState().setConnection('left', left.connection);
    stores.panes.getState().setConnection('right', right.connection);
  } else {
    await openRememberedPanes(stores, storage, { left: left.connection, right: right.connection });
  }
  return { ...rendered, host, stores };
}

/** A partner's SFTP server and a Salesforce org, both empty. */
export function partnerHost(): MemoryHost {
  return memoryHost([
    { name: 'partner', kind: 'sftp', location: 'sftp://ops@files.partner.example/', sdrive: false },
    { name: 'org', kind: 'salesforce', location: 'https://acme.my.salesforce.com', sdrive: false },
  ]);
}

export function files(count: number, name: (i: number) => string, folder: string): Entry[] {
  return Array.from({ length: count }, (_, i) => ({ name: name(i), path: `${folder}/${name(i)}`, kind: 'file' as const, size: 1000 + i, modifiedAt: 1_700_000_000_000 + i * 1000 }));
}
