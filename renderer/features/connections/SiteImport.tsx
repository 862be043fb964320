import { FileUp } from 'lucide-react';
import { useState, type DragEvent } from 'react';
import type { SitePreviewView } from '../../../src/shared/contract/connectionModels.js';
import styles from '../ConnectionsScreen.module.css';
import { useStores } from '../StoresContext.js';

/** What the contract takes at most; a larger file is refused here before it travels. */
const MAX_CHARS = 5 * 1024 * 1024;

interface Chosen {
  readonly fileName: string;
  readonly text: string;
  readonly format: 'filezilla' | 'winscp';
  readonly sites: ReadonlyArray<SitePreviewView>;
}

const FORMAT_WORDS = { filezilla: 'FileZilla site manager', winscp: 'WinSCP sessions' } as const;

/**
 * Sites from FileZilla's sitemanager.xml or WinSCP.ini: the file is read here, the host shows what
 * each site becomes (and what it leaves behind, and why), and only the ticked sites are saved.
 */
export function SiteImport({ onDone }: { readonly onDone: (message: string) => void }) {
  const { connections } = useStores();
  const [chosen, setChosen] = useState<Chosen | undefined>(undefined);
  const [selected, setSelected] = useState<ReadonlySet<string>>(new Set());
  const [error, setError] = useState<string | undefined>(undefined);
  const [busy, setBusy] = useState(false);
  const [over, setOver] = useState(false);

  const read = async (file: File): Promise<void> => {
    setError(undefined);
    setChosen(undefined);
    if (file.size > MAX_CHARS) return setError(`${file.name} is larger than 5 MB: it is not a site list Ferry can import`);
    const text = await file.text();
    setBusy(true);
    const answer = await connections.getState().previewImport({ fileName: file.name, text });
    setBusy(false);
    if (!answer.ok) return setError(answer.error.message);
    setChosen({ fileName: file.name, text, ...answer.value });
    setSelected(new Set(answer.value.sites.filter((s) => s.url !== undefined).map((s) => s.id)));
  };

  const apply = async (c: Chosen): Promise<void> => {
    setBusy(true);
    const answer = await connections.getState().applyImport({ fileName: c.fileName, text: c.text, sites: [...selected] });
    setBusy(false);
    if (!answer.ok) return setError(answer.error.message);
    const count = answer.value.saved.length;
    onDone(`Imported ${count} ${count === 1 ? 'connection' : 'connections'} from ${c.fileName}`);
  };

  const drop = (event: DragEvent<HTMLDivElement>): void => {
    event.preventDefault();
    setOver(false);
    const file = event.dataTransfer.files[0];
    if (file !== undefined) void read(file);
  };

  const toggle = (id: string): void => {
    const next = new Set(selected);
    if (!next.delete(id)) next.add(id);
    setSelected(next);
  };

  return (
    <section className={styles.card} aria-label="Import sites">
      <h2 className={styles.cardTitle}>Import sites from FileZilla or WinSCP</h2>
      <div
        className={over ? `${styles.dropZone} ${styles.dropZoneOver}` : styles.dropZone}
        onDragOver={(e) => {
          e.preventDefault();
          setOver(true);
        }}
        onDragLeave={() => setOver(false)}
        onDrop={drop}
      >
        <FileUp aria-hidden size={22} />
        <span>Drop FileZilla’s sitemanager.xml or WinSCP’s WinSCP.ini here, or</span>
        <label className="button">
          Choose a site file…
          <input
            className={styles.fileInput}
            type="file"
            accept=".xml,.ini,text/xml,text/plain"
            onChange={(e) => {
              const file = e.target.files?.[0];
              if (file !== undefined) void read(file);
              e.target.value = '';
            }}
          />
        </label>
      </div>
      <p className={styles.hintStart}>
        Passwords the file holds go into Ferry’s secret store, never into a plain file. FileZilla keeps the file in %APPDATA%\FileZilla; WinSCP writes WinSCP.ini with
        Tools › Export/Backup configuration.
      </p>
      {error !== undefined && (
        <p role="alert" className={styles.error}>
          {error}
        </p>
      )}
      {chosen !== undefined && (
        <>
          <h3 className={styles.subTitle}>
            {FORMAT_WORDS[chosen.format]} in {chosen.fileName}: {chosen.sites.length} {chosen.sites.length === 1 ? 'site' : 'sites'}
          </h3>
          {chosen.sites.length === 0 ? (
            <p className={styles.empty}>The file holds no sites.</p>
          ) : (
            <ul className={styles.importList} aria-label="Sites in the file">
              {chosen.sites.map((site) => (
                <li key={site.id} className={styles.importItem}>
                  <label className={styles.importHead}>
                    <input type="checkbox" checked={selected.has(site.id)} disabled={site.url === undefined} onChange={() => toggle(site.id)} />
                    <span className={styles.name}>{site.source}</span>
                    <span className={styles.location}>{site.url === undefined ? 'cannot be imported' : `→ ${site.name} · ${site.url}`}</span>
                  </label>
                  {site.clash !== undefined && <p className={styles.clash}>{site.clash}</p>}
                  {site.imported.length > 0 && <p className={styles.imported}>Imported: {site.imported.join(' · ')}</p>}
                  {site.notImported.map((line) => (
                    <p key={line} className={styles.notImported}>
                      Not imported: {line}
                    </p>
                  ))}
                </li>
              ))}
            </ul>
          )}
        </>
      )}
      <div className={styles.formActions}>
        <button type="button" className="button" onClick={() => onDone('')}>
          Cancel
        </button>
        {chosen !== undefined && (
          <button type="button" className="button primary" disabled={busy || selected.size === 0} onClick={() => void apply(chosen)}>
            Import {selected.size} {selected.size === 1 ? 'site' : 'sites'}
          </button>
        )}
      </div>
    </section>
  );
}
