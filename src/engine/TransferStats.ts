/** One in-flight file as the progress display sees it. */
export interface CurrentItem {
  readonly path: string;
  readonly bytes: number;
  /** -1 when unknown. */
  readonly size: number;
}

/** Plain JSON, so that any subscriber (terminal, UI, log) sees a consistent whole, never a delta. */
export interface TransferSnapshot {
  readonly filesTotal: number;
  readonly filesDone: number;
  readonly filesSkipped: number;
  readonly filesFailed: number;
  readonly bytesTotal: number;
  readonly bytesDone: number;
  readonly rateBps: number;
  /** null while the rate is unknown or zero. */
  readonly etaSeconds: number | null;
  readonly elapsedMs: number;
  readonly current: ReadonlyArray<CurrentItem>;
}

/** Byte counter for one file; `reset` undoes a failed attempt's bytes before a retry. */
export interface ItemMeter {
  add(bytes: number): void;
  /** Sets the counter to `bytes` (e.g. the offset a resumed transfer starts at). */
  reset(bytes: number): void;
  finish(outcome: 'done' | 'skipped' | 'failed'): void;
}

const RATE_WINDOW_MS = 5_000;

/** Accounting for one transfer: counters updated by the engine, read as immutable snapshots. */
export class TransferStats {
  readonly #now: () => number;
  readonly #started: number;
  readonly #current = new Map<number, { path: string; bytes: number; size: number }>();
  readonly #samples: Array<{ at: number; bytes: number }> = [];
  #nextId = 0;
  #filesTotal = 0;
  #bytesTotal = 0;
  #filesDone = 0;
  #filesSkipped = 0;
  #filesFailed = 0;
  /** Bytes of finished files plus the live counters of files in flight. */
  #bytesSettled = 0;

  constructor(now: () => number = Date.now) {
    this.#now = now;
    this.#started = now();
  }

  plan(files: number, bytes: number): void {
    this.#filesTotal += files;
    this.#bytesTotal += bytes;
  }

  /** Counts a file that never started (skipped by policy or refused before transfer). */
  settle(outcome: 'skipped' | 'failed', plannedBytes: number): void {
    this.#bytesTotal -= plannedBytes;
    if (outcome === 'skipped') this.#filesSkipped++;
    else this.#filesFailed++;
  }

  /** Takes back a failure: the file will be attempted again in this transfer. */
  requeue(plannedBytes: number): void {
    this.#filesFailed--;
    this.#bytesTotal += Math.max(0, plannedBytes);
  }

  start(path: string, size: number): ItemMeter {
    const id = this.#nextId++;
    const item = { path, bytes: 0, size };
    this.#current.set(id, item);
    let finished = false;
    return {
      add: (n) => {
        item.bytes += n;
      },
      reset: (n) => {
        item.bytes = n;
      },
      finish: (outcome) => {
        if (finished) return;
        finished = true;
        this.#current.delete(id);
        if (outcome === 'done') {
          this.#filesDone++;
          this.#bytesSettled += item.bytes;
          // A file whose size was unknown at planning time still counts fully once done.
          if (size < 0) this.#bytesTotal += item.bytes;
        } else {
          if (outcome === 'skipped') this.#filesSkipped++;
          else this.#filesFailed++;
          if (size > 0) this.#bytesTotal -= size;
        }
      },
    };
  }

  snapshot(): TransferSnapshot {
    const now = this.#now();
    let inFlight = 0;
    const current: CurrentItem[] = [];
    for (const c of this.#current.values()) {
      inFlight += c.bytes;
      current.push({ path: c.path, bytes: c.bytes, size: c.size });
    }
    const bytesDone = this.#bytesSettled + inFlight;
    const rateBps = this.#rate(now, bytesDone);
    const remaining = Math.max(0, this.#bytesTotal - bytesDone);
    return {
      filesTotal: this.#filesTotal,
      filesDone: this.#filesDone,
      filesSkipped: this.#filesSkipped,
      filesFailed: this.#filesFailed,
      bytesTotal: this.#bytesTotal,
      bytesDone,
      rateBps,
      etaSeconds: rateBps > 0 ? Math.ceil(remaining / rateBps) : null,
      elapsedMs: now - this.#started,
      current,
    };
  }

  #rate(now: number, bytesDone: number): number {
    this.#samples.push({ at: now, bytes: bytesDone });
    while (this.#samples.length > 2 && (this.#samples[0]?.at ?? now) < now - RATE_WINDOW_MS) this.#samples.shift();
    const first = this.#samples[0];
    if (first === undefined || now - first.at <= 0) return 0;
    return Math.max(0, ((bytesDone - first.bytes) * 1000) / (now - first.at));
  }
}
