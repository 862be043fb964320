import { FileWarning, Save } from 'lucide-react';
import { useEffect } from 'react';
import type { Direction } from '../../../src/shared/contract/mappingCommands.js';
import { directionsOf } from '../../stores/mapping.js';
import { useSlice, useStores } from '../StoresContext.js';
import { MappingGrid, otherProblems } from './MappingGrid.js';
import styles from './PartnerFormats.module.css';
import { SamplePreview } from './SamplePreview.js';

const DIRECTION_WORDS: Record<Direction, string> = {
  inbound: 'Inbound: partner’s file → Ferry',
  outbound: 'Outbound: Ferry → partner’s file',
};

function ProfileList() {
  const { mapping } = useStores();
  const profiles = useSlice(mapping, (s) => s.profiles);
  const folder = useSlice(mapping, (s) => s.folder);
  const open = useSlice(mapping, (s) => s.open);
  const loading = useSlice(mapping, (s) => s.loading);
  return (
    <nav className={styles.list} aria-label="Partner profiles">
      {profiles.length === 0 && !loading && (
        <p className={styles.muted}>
          No partner profiles yet. Put a profile file (.yaml) in <code>{folder}</code>: jobs name it as <code>profiles/&lt;file&gt;</code>.
        </p>
      )}
      <ul>
        {profiles.map((profile) => (
          <li key={profile.name}>
            <button type="button" className={styles.profile} aria-current={open?.name === profile.name ? 'true' : undefined} onClick={() => void mapping.getState().openProfile(profile.name)}>
              <span className={styles.partner}>
                {profile.problem !== undefined && <FileWarning aria-hidden size={14} className={styles.warn} />}
                {profile.partner ?? profile.name}
              </span>
              <span className={styles.muted}>{profile.problem === undefined ? `${profile.name} · ${profile.directions.join(', ')}` : 'Cannot be read: open it to see why'}</span>
            </button>
          </li>
        ))}
      </ul>
    </nav>
  );
}

function Editor() {
  const { mapping, connections: connectionsStore } = useStores();
  const open = useSlice(mapping, (s) => s.open);
  const draft = useSlice(mapping, (s) => s.draft);
  const direction = useSlice(mapping, (s) => s.direction);
  const dirty = useSlice(mapping, (s) => s.dirty);
  const saving = useSlice(mapping, (s) => s.saving);
  const saved = useSlice(mapping, (s) => s.saved);
  const sample = useSlice(mapping, (s) => s.sample);
  const preview = useSlice(mapping, (s) => s.preview);
  const previewing = useSlice(mapping, (s) => s.previewing);
  const previewError = useSlice(mapping, (s) => s.previewError);
  const connections = useSlice(connectionsStore, (s) => s.connections);

  if (open === undefined) return <p className={styles.muted}>Pick a partner on the left to see how their columns map to Ferry’s fields, and try it on one of their files.</p>;
  if (draft === undefined) {
    return (
      <div className={styles.editor}>
        <h2 className={styles.h2}>{open.name}</h2>
        <p role="alert" className={styles.problem}>
          {open.problem}
        </p>
        <p className={styles.muted}>Correct the file in a text editor, then pick it again. As it is now:</p>
        <pre className={styles.yaml}>{open.yaml}</pre>
      </div>
    );
  }
  const state = mapping.getState();
  const conversion = draft[direction];
  const problems = preview?.profileProblems ?? [];
  const others = otherProblems(problems, direction);
  return (
    <div className={styles.editor}>
      <form
        aria-label={`Mapping of ${draft.partner}`}
        className={styles.form}
        onSubmit={(e) => {
          e.preventDefault();
          void state.save();
        }}
      >
        <div className={styles.toolbar}>
          <h2 className={styles.h2}>
            {draft.partner} <span className={styles.muted}>{open.name}</span>
          </h2>
          <fieldset className={styles.directions}>
            <legend className={styles.visuallyHidden}>Direction</legend>
            {directionsOf(draft).map((d) => (
              <label key={d} className="check">
                <input type="radio" name="mapping-direction" value={d} checked={direction === d} onChange={() => state.setDirection(d)} />
                {DIRECTION_WORDS[d]}
              </label>
            ))}
          </fieldset>
          <button type="submit" className="button primary" disabled={!dirty || saving}>
            <Save aria-hidden size={16} />
            {saving ? 'Saving…' : 'Save'}
          </button>
        </div>
        {saved !== undefined && (
          <p role={saved.ok ? 'status' : 'alert'} className={saved.ok ? styles.note : styles.problem}>
            {saved.message}
          </p>
        )}
        {others.length > 0 && (
          <ul className={styles.problems} aria-label="Problems of the profile">
            {others.map((problem) => (
              <li key={problem}>{problem}</li>
            ))}
          </ul>
        )}
        {conversion === undefined ? (
          <p className={styles.muted}>This profile has no {direction} conversion.</p>
        ) : (
          <MappingGrid
            direction={direction}
            fields={conversion.mapping?.fields ?? []}
            columns={preview?.before ?? []}
            problems={problems}
            onChange={(index, field) => state.updateField(index, field)}
            onMove={(index, by) => state.moveField(index, by)}
            onRemove={(index) => state.removeField(index)}
            onAdd={() => state.addField()}
          />
        )}
      </form>
      <SamplePreview sample={sample} connections={connections} preview={preview} previewing={previewing} error={previewError} onSample={(next) => state.setSample(next)} />
    </div>
  );
}

/** Partner formats: each partner's profile, its columns beside Ferry's fields, tried on a real sample as it is edited. */
export function PartnerFormatsScreen() {
  const { mapping } = useStores();
  const error = useSlice(mapping, (s) => s.error);
  useEffect(() => {
    void mapping.getState().load();
  }, [mapping]);
  return (
    <section className={styles.screen} aria-labelledby="partner-formats-title">
      <h1 id="partner-formats-title" className={styles.h1}>
        Partner formats
      </h1>
      {error !== undefined && (
        <p role="alert" className={styles.problem}>
          {error}
        </p>
      )}
      <div className={styles.body}>
        <ProfileList />
        <Editor />
      </div>
    </section>
  );
}
