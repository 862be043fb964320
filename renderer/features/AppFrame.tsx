import { ArrowLeftRight, ClipboardCheck, FolderOpen, History, House, ListChecks, Regex, Server, TableProperties, type LucideIcon } from 'lucide-react';
import { ScreenBoundary } from '../components/ScreenBoundary.js';
import type { Section } from '../stores/ui.js';
import styles from './AppFrame.module.css';
import { BrowseScreen } from './BrowseScreen.js';
import { ConnectionsScreen } from './ConnectionsScreen.js';
import { Dialogs } from './Dialogs.js';
import { AttentionToasts } from './home/AttentionToasts.js';
import { HistoryScreen } from './HistoryScreen.js';
import { HomeScreen } from './home/HomeScreen.js';
import { JobEditorScreen } from './jobs/JobEditorScreen.js';
import { JobsScreen } from './jobs/JobsScreen.js';
import { PartnerFormatsScreen } from './mapping/PartnerFormatsScreen.js';
import { NamingRulesScreen } from './naming/NamingRulesScreen.js';
import { PromptDialog } from './PromptDialog.js';
import { StatusBar } from './StatusBar.js';
import { useSlice, useStores } from './StoresContext.js';
import { TransferList } from './TransferList.js';
import { ValidationLogScreen } from './ValidationLogScreen.js';

interface NavItem {
  readonly section: Section;
  readonly label: string;
  readonly icon: LucideIcon;
}

/** Where a coordinator works every day. */
const DAILY: ReadonlyArray<NavItem> = [
  { section: 'home', label: 'Home', icon: House },
  { section: 'browse', label: 'Browse', icon: FolderOpen },
  { section: 'transfers', label: 'Transfers', icon: ArrowLeftRight },
  { section: 'jobs', label: 'Jobs', icon: ListChecks },
  { section: 'validation', label: 'Validation log', icon: ClipboardCheck },
  { section: 'history', label: 'History', icon: History },
  { section: 'connections', label: 'Connections', icon: Server },
];

/** What is set up once per partner and tried on their real files. */
const PARTNER_SETUP: ReadonlyArray<NavItem> = [
  { section: 'namingRules', label: 'Naming rules', icon: Regex },
  { section: 'partnerFormats', label: 'Partner formats', icon: TableProperties },
];

/** The section a screen belongs to in the navigation: the job editor is part of Jobs. */
function navSection(section: Section): Section {
  return section === 'jobEditor' ? 'jobs' : section;
}

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
    case 'home':
      return <HomeScreen />;
    case 'jobs':
      return <JobsScreen />;
    case 'jobEditor':
      return <JobEditorScreen />;
    case 'namingRules':
      return <NamingRulesScreen />;
    case 'partnerFormats':
      return <PartnerFormatsScreen />;
    case 'validation':
      return <ValidationLogScreen />;
    case 'history':
      return <HistoryScreen />;
  }
}

/** The window: sections on the left, the current one in the middle, the queue docked below, the status line under it. */
export function AppFrame() {
  const { ui, attention } = useStores();
  const section = useSlice(ui, (s) => s.section);
  const badges = useSlice(attention, (s) => s.badges);
  const link = (item: NavItem) => {
    // The count is described, not named, so that the link is "History" however much news it has.
    const news = item.section in badges ? badges[item.section as keyof typeof badges] : 0;
    const newsId = `news-${item.section}`;
    return (
      <li key={item.section}>
        <a
          href={`#${item.section}`}
          className={styles.navItem}
          aria-current={navSection(section) === item.section ? 'page' : undefined}
          aria-describedby={news > 0 ? newsId : undefined}
          onClick={(event) => {
            event.preventDefault();
            ui.getState().go(item.section);
          }}
        >
          <item.icon aria-hidden size={18} />
          <span>{item.label}</span>
          {news > 0 && (
            <span className={styles.badge} aria-hidden>
              {news}
            </span>
          )}
        </a>
      </li>
    );
  };
  return (
    <div className={styles.frame}>
      <nav aria-label="Main" className={styles.nav}>
        <p className={styles.brand}>Ferry</p>
        <ul className={styles.navList}>{DAILY.map(link)}</ul>
        <p className={styles.navHeading} id="partner-setup">
          Partner setup
        </p>
        <ul className={styles.navList} aria-labelledby="partner-setup">
          {PARTNER_SETUP.map(link)}
        </ul>
        {/* What the links' counts say to a screen reader, kept out of the layout. */}
        <div className="visually-hidden">
          {(Object.keys(badges) as Array<keyof typeof badges>)
            .filter((news) => badges[news] > 0)
            .map((news) => (
              <span key={news} id={`news-${news}`}>
                {badges[news]} new
              </span>
            ))}
        </div>
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
      <AttentionToasts />
    </div>
  );
}
