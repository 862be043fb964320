import { existsSync } from 'node:fs';
import { mkdir, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium, type Browser, type BrowserContext, type Page } from 'playwright-core';
import { expect } from 'vitest';
import { ferryPaths } from '../../src/config/ferryHome.js';
import type { CoreHost } from '../../src/host/CoreHost.js';
import { createFerryHost } from '../../src/host/FerryHost.js';
import { Prompts } from '../../src/host/Prompts.js';
import { defaultRendererFolder } from '../../src/host/http/ferryPackage.js';
import { startWebHost, type WebHost } from '../../src/host/http/startWebHost.js';
import { Workspace } from '../../src/workspace/Workspace.js';
import { runFerry, type FerryRun } from '../helpers/runFerry.js';

/** Debian's browser: these machines cannot download one of Playwright's own. */
export const CHROMIUM = '/usr/bin/chromium';

export const SIZES = [
  { width: 1280, height: 800 },
  { width: 1920, height: 1080 },
] as const;

/** Ferry's data folder with the web host serving the built window, and a browser to look at it. */
export interface WindowWorld {
  readonly home: string;
  readonly workspace: Workspace;
  readonly core: CoreHost;
  readonly web: WebHost;
  readonly browser: Browser;
  ferry(args: ReadonlyArray<string>, stdin?: string): Promise<FerryRun>;
  /** Errors thrown in any page this world opened: a screen that crashed is a failure, whatever it looks like. */
  readonly pageErrors: string[];
  /** A new page signed in with the host's token, in the given colour scheme and size. */
  open(options?: { readonly colorScheme?: 'light' | 'dark'; readonly size?: { readonly width: number; readonly height: number } }): Promise<Page>;
  close(): Promise<void>;
}

export async function windowWorld(label: string): Promise<WindowWorld> {
  const staticDir = defaultRendererFolder();
  if (!existsSync(join(staticDir, 'index.html'))) throw new Error(`The window is not built (${staticDir}): run "npm run build" first`);
  if (!existsSync(CHROMIUM)) throw new Error(`${CHROMIUM} is missing: install Debian's chromium package (bash .ci/install-browser)`);
  const home = await mkdtemp(join(tmpdir(), `ferry-e2e-${label}-`));
  await mkdir(home, { recursive: true });
  // As `ferry serve` does: connections put their questions to the window.
  const prompts = new Prompts();
  const workspace = new Workspace(ferryPaths({ FERRY_HOME: home }), { FERRY_HOME: home }, prompts);
  const core = createFerryHost({ workspace, host: 'web', version: 'test', prompts });
  const web = await startWebHost({ core, port: 0, staticDir });
  const browser = await chromium.launch({ executablePath: CHROMIUM });
  const contexts: BrowserContext[] = [];
  const pageErrors: string[] = [];
  return {
    pageErrors,
    home,
    workspace,
    core,
    web,
    browser,
    ferry: (args, stdin) => runFerry(home, args, stdin),
    open: async (options = {}) => {
      const context = await browser.newContext({ viewport: options.size ?? SIZES[0], colorScheme: options.colorScheme ?? 'light' });
      contexts.push(context);
      const page = await context.newPage();
      page.on('pageerror', (e) => pageErrors.push(e.message));
      await page.goto(web.url);
      return page;
    },
    close: async () => {
      for (const c of contexts) await c.close();
      await browser.close();
      await web.close();
      await core.close();
      workspace.close();
      await rm(home, { recursive: true, force: true });
    },
  };
}

/** Where screenshots go, for a person to look at after the run. */
export async function screenshot(page: Page, name: string): Promise<string> {
  const dir = join(process.cwd(), 'test-results', 'screens');
  await mkdir(dir, { recursive: true });
  const path = join(dir, `${name}.png`);
  await page.screenshot({ path });
  return path;
}

/**
 * Waits for the window to show what is asked. The bound is a hang guard, far above any real wait (a
 * 100,000-entry folder listed and sorted on a loaded CI machine), never a speed requirement.
 */
export function eventually<T>(read: () => Promise<T> | T): ReturnType<typeof expect.poll<T>> {
  return expect.poll(read, { timeout: 120_000, interval: 50 });
}
