import type { BandwidthLimit } from '../../shared/model/bandwidthText.js';
import { systemClock, type Clock } from '../../schedule/Clock.js';
import { limitAt, scheduleOf, type Direction, type LimitNow } from './timetable.js';
import { TokenBucket } from './TokenBucket.js';

/**
 * How the bytes of one file are let through: every limit that applies to them, each a bucket shared with
 * every other file under the same limit.
 */
export interface Pace {
  /** Undefined when `bytes` may pass at once, otherwise a promise that settles when they may. */
  admit(bytes: number, signal?: AbortSignal): Promise<void> | undefined;
  /**
   * The most bytes worth admitting at once under the tightest limit now (one second's worth): a larger
   * chunk goes in pieces, so that a slow limit still lets bytes through every second instead of in bursts.
   */
  pieceBytes(): number;
}

/** One limit (a rate or a timetable) and its two buckets, upload and download; the limit can change live. */
export class BandwidthLimiter {
  readonly #clock: Clock;
  #limit: BandwidthLimit | undefined;
  readonly #up: TokenBucket;
  readonly #down: TokenBucket;

  constructor(clock: Clock, limit: BandwidthLimit | undefined) {
    this.#clock = clock;
    this.#limit = limit;
    this.#up = new TokenBucket(clock, scheduleOf(limit, 'up'));
    this.#down = new TokenBucket(clock, scheduleOf(limit, 'down'));
  }

  get limit(): BandwidthLimit | undefined {
    return this.#limit;
  }

  /** Replaces the limit; bytes already waiting, in transfers already running, go by the new one. */
  set(limit: BandwidthLimit | undefined): void {
    if (limit?.text === this.#limit?.text) return;
    this.#limit = limit;
    this.#up.reschedule(scheduleOf(limit, 'up'));
    this.#down.reschedule(scheduleOf(limit, 'down'));
  }

  /** What holds now in each direction, and until when. */
  now(): LimitNow {
    return limitAt(this.#limit, this.#clock.now());
  }

  bucket(direction: Direction): TokenBucket {
    return direction === 'up' ? this.#up : this.#down;
  }
}

/** Which way a file's bytes go: from which connection and to which; undefined is this computer. */
export interface PaceRoute {
  /** The run's own limit (`--bwlimit`, a job's `bandwidth`), shared by all its files. */
  readonly run?: BandwidthLimiter;
  readonly source: string | undefined;
  readonly target: string | undefined;
}

/**
 * Every limit of one Ferry process: the one for all its transfers, and one per connection, each shared by
 * all the transfers that use it. Bytes read from a connection are its download, bytes written to one its
 * upload; a copy between two folders of this computer is not limited.
 */
export class BandwidthLimits {
  readonly #clock: Clock;
  readonly global: BandwidthLimiter;
  readonly #connections = new Map<string, BandwidthLimiter>();

  constructor(clock: Clock = systemClock) {
    this.#clock = clock;
    this.global = new BandwidthLimiter(clock, undefined);
  }

  /** A connection's limiter, without a limit until one is set. */
  connection(name: string): BandwidthLimiter {
    let found = this.#connections.get(name);
    if (found === undefined) {
      found = new BandwidthLimiter(this.#clock, undefined);
      this.#connections.set(name, found);
    }
    return found;
  }

  /** Sets every connection's limit at once: a connection not named has none. */
  setConnections(limits: ReadonlyMap<string, BandwidthLimit>): void {
    for (const name of new Set([...this.#connections.keys(), ...limits.keys()])) this.connection(name).set(limits.get(name));
  }

  /** A run's own limiter, shared by its files and no one else's. */
  run(limit: BandwidthLimit | undefined): BandwidthLimiter {
    return new BandwidthLimiter(this.#clock, limit);
  }

  /**
   * The pace of a file's bytes on this route. The connections' and the process's buckets are always
   * consulted, limited or not, so that a limit set while a transfer runs applies to it at once.
   */
  pace(route: PaceRoute): Pace | undefined {
    const buckets: TokenBucket[] = [];
    const side = (connection: string | undefined, direction: Direction): void => {
      if (connection === undefined) return;
      if (route.run !== undefined) buckets.push(route.run.bucket(direction));
      buckets.push(this.connection(connection).bucket(direction), this.global.bucket(direction));
    };
    side(route.source, 'down');
    side(route.target, 'up');
    return buckets.length === 0 ? undefined : pacing(buckets);
  }
}

function pacing(buckets: ReadonlyArray<TokenBucket>): Pace {
  const from = (first: number, bytes: number, signal: AbortSignal | undefined): Promise<void> | undefined => {
    for (let i = first; i < buckets.length; i++) {
      const wait = buckets[i]?.admit(bytes, signal);
      // Each bucket in turn: bytes held by one limit have already counted against those before it.
      if (wait !== undefined) return wait.then(() => from(i + 1, bytes, signal));
    }
    return undefined;
  };
  return {
    admit: (bytes, signal) => from(0, bytes, signal),
    pieceBytes: () => {
      let least = Infinity;
      for (const bucket of buckets) least = Math.min(least, bucket.depth());
      return least;
    },
  };
}
