import { isTransferError } from '../connectors/errors.js';
import type { RemoteFs } from '../connectors/types.js';
import type { TransferErrorKind } from '../shared/model/errorKinds.js';

/** Failures that say the server cannot be reached or signed in to, rather than that one file is wrong. */
const CONNECTION_KINDS: ReadonlySet<TransferErrorKind> = new Set(['auth', 'network', 'timeout', 'hostKey', 'certificate']);

/**
 * A connector whose calls are watched: connectors sign in lazily, at their first call, so only a call's
 * outcome says whether the server answers. `onOutcome` hears each settled call: undefined when the
 * server answered (even a "no such file" is an answer), the error when it could not be reached.
 * A cancelled call says nothing.
 */
export function observedConnection(fs: RemoteFs, onOutcome: (error: unknown) => void): RemoteFs {
  const watch = (result: unknown): unknown => {
    if (!(result instanceof Promise)) return result;
    result.then(
      () => onOutcome(undefined),
      (e: unknown) => {
        if (isTransferError(e) && e.kind === 'cancelled') return;
        onOutcome(isTransferError(e) && CONNECTION_KINDS.has(e.kind) ? e : undefined);
      },
    );
    return result;
  };
  return new Proxy(fs, {
    // Methods run on the connector itself: its private fields are not reachable through a proxy.
    get(target, property) {
      const value: unknown = Reflect.get(target, property, target);
      if (typeof value !== 'function' || property === 'close') return value;
      return (...args: unknown[]) => watch((value as (...a: unknown[]) => unknown).apply(target, args));
    },
  });
}
