import { describe, expect, it } from 'vitest';
import { formatRate, readBandwidth, type BandwidthLimit } from '../../../../src/shared/model/bandwidthText.js';

const KiB = 1024;
const MiB = 1024 * KiB;

function read(text: string): BandwidthLimit {
  const reading = readBandwidth(text);
  if (!reading.ok) throw new Error(`expected ${text} to read, got: ${reading.problem}`);
  return reading.limit;
}

function problemOf(text: string): string {
  const reading = readBandwidth(text);
  if (reading.ok) throw new Error(`expected ${text} to be refused`);
  return reading.problem;
}

describe('bandwidth limits as rclone --bwlimit writes them', () => {
  it.each([
    ['2M', 2 * MiB],
    ['512k', 512 * KiB],
    ['512K', 512 * KiB],
    ['512', 512 * KiB],
    ['1.5M', 1.5 * MiB],
    ['100B', 100],
    ['100b', 100],
    ['2MiB', 2 * MiB],
    ['2Mi', 2 * MiB],
    ['2MB', 2 * MiB],
    ['1G', 1024 * MiB],
    ['1T', 1024 * 1024 * MiB],
  ])('%s is %i bytes a second both ways, all day', (text, bytes) => {
    expect(read(text).slots).toEqual([{ day: null, minute: 0, limit: { up: bytes, down: bytes } }]);
  });

  it('"off" and 0 are no limit, as in rclone', () => {
    expect(read('off').slots[0]?.limit).toEqual({ up: null, down: null });
    expect(read('OFF').slots[0]?.limit).toEqual({ up: null, down: null });
    expect(read('0').slots[0]?.limit).toEqual({ up: null, down: null });
  });

  it('up:down gives each direction its own rate, either may be off', () => {
    expect(read('1M:4M').slots[0]?.limit).toEqual({ up: MiB, down: 4 * MiB });
    expect(read('off:256k').slots[0]?.limit).toEqual({ up: null, down: 256 * KiB });
  });

  it('reads a timetable of daily and weekday slots, with up:down in a slot', () => {
    const limit = read('08:00,2M  18:00,off Sat-10:30,512k:1M sunday-23:59,1M');
    expect(limit.text).toBe('08:00,2M 18:00,off Sat-10:30,512k:1M sunday-23:59,1M');
    expect(limit.slots).toEqual([
      { day: null, minute: 8 * 60, limit: { up: 2 * MiB, down: 2 * MiB } },
      { day: null, minute: 18 * 60, limit: { up: null, down: null } },
      { day: 6, minute: 10 * 60 + 30, limit: { up: 512 * KiB, down: MiB } },
      { day: 0, minute: 23 * 60 + 59, limit: { up: MiB, down: MiB } },
    ]);
  });

  it('names the bad part of the text and what would be right', () => {
    expect(problemOf('2X')).toBe('"2X" is not a rate: write a number with a unit B, K, M, G, T or P (powers of 1024; a number alone is KiB/s), or "off"');
    expect(problemOf('-1M')).toMatch(/^"-1M" is not a rate/);
    expect(problemOf('')).toMatch(/^no limit given \(e\.g\. "2M"/);
    expect(problemOf('1M:2M:3M')).toMatch(/^"1M:2M:3M" has more than one ":"/);
    expect(problemOf('08:00,2M 25:00,off')).toBe('"25:00" in "25:00,off" is not a time of day (HH:MM, from 00:00 to 23:59)');
    expect(problemOf('08:00,2M 8:00,off')).toMatch(/^"8:00" in "8:00,off" is not a time of day/);
    expect(problemOf('Mun-08:00,2M')).toBe('"Mun" in "Mun-08:00,2M" is not a day of the week (Mon, Tue, Wed, Thu, Fri, Sat, Sun)');
    expect(problemOf('08:00-2M 18:00,off')).toMatch(/^"08:00-2M" is not a time and a rate: write HH:MM,RATE/);
    expect(problemOf('2M 4M')).toMatch(/^"2M" is not a time and a rate/);
    expect(problemOf('08:00,2Q')).toMatch(/^"2Q" is not a rate/);
    expect(problemOf('0.5B')).toBe('"0.5B" is less than one byte per second');
  });

  it('shows rates in binary units', () => {
    expect(formatRate(2 * MiB)).toBe('2 MiB/s');
    expect(formatRate(1.5 * MiB)).toBe('1.5 MiB/s');
    expect(formatRate(512 * KiB)).toBe('512 KiB/s');
    expect(formatRate(100)).toBe('100 B/s');
    expect(formatRate(null)).toBe('no limit');
  });
});
