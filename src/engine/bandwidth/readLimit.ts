import { TransferError } from '../../connectors/errors.js';
import { readBandwidth, type BandwidthLimit } from '../../shared/model/bandwidthText.js';

/**
 * A limit as the user wrote it, where `where` names the flag or field (`--bwlimit`, `bandwidth of
 * connection acme`): a mistake is a configuration error naming both the place and the bad value.
 * "off" alone is no limit at all.
 */
export function readLimit(text: string, where: string): BandwidthLimit | undefined {
  const reading = readBandwidth(text);
  if (!reading.ok) throw new TransferError('config', `${where}: ${reading.problem}`);
  const unlimited = reading.limit.slots.every((s) => s.limit.up === null && s.limit.down === null);
  return unlimited ? undefined : reading.limit;
}
