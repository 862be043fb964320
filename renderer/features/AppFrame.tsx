import { ArrowLeftRight, ClipboardCheck, FolderOpen, History, ListChecks, Server, type LucideIcon } from 'lucide-react';
import { ScreenBoundary } from '../components/ScreenBoundary.js';
import type { Section } from '../stores/ui.js';
import styles from './AppFrame.module.css';
import { BrowseScreen } from './BrowseScreen.js';
import { ConnectionsScreen } from './ConnectionsScreen.js';
import { Dialogs } from './Dialogs.js';
import { HistoryScreen } from './HistoryScreen.js';
import { PromptDialog } from './PromptDialog.js';
import { Placeholder } from './Placeholder.js';
import { StatusBar } from './StatusBar.js';
import { useSlice, useStores } from './StoresContext.js';
import { TransferList } from './TransferList.js';
import { ValidationLogScreen } from './ValidationLogScreen.js';

interface NavItem {
  readonly section: Section;
  readonly label: string;
  readonly icon: LucideIcon;
}

const NOW: ReadonlyArray<NavItem> = [
  { section: 'browse', label: 'Browse', icon: FolderOpen },
  { section: 'transfers', label: 'Transfers', icon: ArrowLeftRight },
  { section: 'connections', label: 'Connections', icon: Server },
  { section: 'history', label: 'History', icon: History },
  { section: 'validation', label: 'Validation log', icon: ClipboardCheck },
];

const NEXT: ReadonlyArray<NavItem> = [
  { section: 'jobs', label: 'Jobs', icon: ListChecks },
];

function Screen({ section }: { readonly section: Section }) {
  switch (section) {
    case 'browse':
      return <BrowseScreen />;
    case 'transfers':
      return (
        <div className={styles.padded}>
          <TransferList full />
        </div>
      );
    case 'connections':
      return <ConnectionsScreen />;
    case 'jobs':
      return <Placeholder title="Jobs" coming="Saved transfers that run on a schedule or when a partner's file arrives: pick up, check, rename, deliver, and tell someone." />;
    case 'validation':
      return <ValidationLogScreen />;
    case 'history':
      return <HistoryScreen />;
  }
}

/** The window: sections on the left, the current one in the middle, the queue docked below, the status line under it. */
export function AppFrame() {
  const { ui } = useStores();
  const section = useSlice(ui, (s) => s.section);
  const link = (item: NavItem, later: boolean) => (
    <li key={item.section}>
      <a
        href={`#${item.section}`}
        className={styles.navItem}
        aria-current={section === item.section ? 'page' : undefined}
        onClick={(event) => {
          event.preventDefault();
          ui.getState().go(item.section);
        }}
      >
        <item.icon aria-hidden size={18} />
        <span>{item.label}</span>
        {later && <span className={styles.soon}>Next</span>}
      </a>
    </li>
  );
  return (
    <div className={styles.frame}>
      <nav aria-label="Main" className={styles.nav}>
        <p className={styles.brand}>Ferry</p>
        <ul className={styles.navList}>{NOW.map((item) => link(item, false))}</ul>
        <p className={styles.navHeading} id="coming-next">
          Coming next
        </p>
        <ul className={styles.navList} aria-labelledby="coming-next">
          {NEXT.map((item) => link(item, true))}
        </ul>
      </nav>
      <main className={styles.main}>
        <div className={styles.screen}>
          <ScreenBoundary key={section}>
            <Screen section={section} />
          </ScreenBoundary>
        </div>
        {section !== 'transfers' && <TransferList />}
      </main>
      <StatusBar />
      <Dialogs />
      <PromptDialog />
    </div>
  );
}
