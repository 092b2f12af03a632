// time.LoadLocation as Go does it: read the system's TZif file (/usr/share/zoneinfo, or
// $ZONEINFO) so offsets and abbreviations ("CET", "IST", "+04") are exactly Go's. Without the
// file, Intl supplies the offset and a best-effort abbreviation.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';

export interface Zone {
  /** The offset from UTC (seconds) and the abbreviation in effect at an instant. */
  readonly at: (epochMs: number) => { offsetSeconds: number; name: string };
}

export const UTC_ZONE: Zone = { at: () => ({ offsetSeconds: 0, name: 'UTC' }) };

interface ZoneType {
  readonly offsetSeconds: number;
  readonly isDst: boolean;
  readonly name: string;
}

/** Parses a TZif file (the 64-bit section when present). */
export function parseTzif(data: Buffer): Zone | undefined {
  if (data.subarray(0, 4).toString('latin1') !== 'TZif') return undefined;
  const counts = (at: number) => {
    const [isut, isstd, leap, timecnt, typecnt, charcnt] = [0, 1, 2, 3, 4, 5].map((i) =>
      data.readUInt32BE(at + 20 + i * 4),
    ) as [number, number, number, number, number, number];
    return {
      skip: timecnt * 4 + timecnt + typecnt * 6 + charcnt + leap * 8 + isstd + isut,
      timecnt,
      typecnt,
      charcnt,
    };
  };
  const v1 = counts(0);
  const v2 = data[4] !== 0 && data.length > 44 + v1.skip ? counts(44 + v1.skip) : undefined;
  const { timecnt, typecnt, charcnt } = v2 ?? v1;
  let at = v2 === undefined ? 44 : 88 + v1.skip;
  const timeSize = v2 === undefined ? 4 : 8;
  const times: number[] = [];
  for (let i = 0; i < timecnt; i++)
    times.push(timeSize === 8 ? Number(data.readBigInt64BE(at + i * 8)) : data.readInt32BE(at + i * 4));
  at += timecnt * timeSize;
  const typeIndex = [...data.subarray(at, at + timecnt)];
  at += timecnt;
  const chars = data.subarray(at + typecnt * 6, at + typecnt * 6 + charcnt).toString('latin1');
  const types: ZoneType[] = [];
  for (let i = 0; i < typecnt; i++) {
    const o = at + i * 6;
    const nameAt = data[o + 5] as number;
    const end = chars.indexOf('\0', nameAt);
    types.push({
      offsetSeconds: data.readInt32BE(o),
      isDst: data[o + 4] === 1,
      name: chars.slice(nameAt, end < 0 ? undefined : end),
    });
  }
  if (types.length === 0) return undefined;
  const first = types.find((t) => !t.isDst) ?? (types[0] as ZoneType);
  return {
    at: (epochMs) => {
      const sec = Math.floor(epochMs / 1000);
      let lo = 0;
      let hi = times.length;
      while (lo < hi) {
        const mid = (lo + hi) >> 1;
        if ((times[mid] as number) <= sec) lo = mid + 1;
        else hi = mid;
      }
      const t = lo === 0 ? first : (types[typeIndex[lo - 1] as number] ?? first);
      return { offsetSeconds: t.offsetSeconds, name: t.name };
    },
  };
}

function goNumericName(offsetSeconds: number): string {
  const abs = Math.abs(offsetSeconds);
  const m = Math.floor((abs % 3600) / 60);
  return (
    (offsetSeconds < 0 ? '-' : '+') +
    String(Math.floor(abs / 3600)).padStart(2, '0') +
    (m === 0 ? '' : String(m).padStart(2, '0'))
  );
}

function intlZone(name: string): Zone {
  const parts = new Intl.DateTimeFormat('en-US', {
    timeZone: name,
    hourCycle: 'h23',
    year: 'numeric',
    month: 'numeric',
    day: 'numeric',
    hour: 'numeric',
    minute: 'numeric',
    second: 'numeric',
  });
  const short = new Intl.DateTimeFormat('en-US', { timeZone: name, timeZoneName: 'short' });
  return {
    at: (epochMs) => {
      const f: Record<string, number> = {};
      for (const p of parts.formatToParts(new Date(epochMs)))
        if (p.type !== 'literal') f[p.type] = Number(p.value);
      const wall = Date.UTC(
        f['year'] ?? 1970,
        (f['month'] ?? 1) - 1,
        f['day'] ?? 1,
        f['hour'] ?? 0,
        f['minute'] ?? 0,
        f['second'] ?? 0,
      );
      const offsetSeconds = Math.round((wall - Math.floor(epochMs / 1000) * 1000) / 1000);
      const text = short.formatToParts(new Date(epochMs)).find((p) => p.type === 'timeZoneName')?.value ?? '';
      return {
        offsetSeconds,
        name: /^[A-Z]{3,5}$/.test(text) && text !== 'GMT' ? text : goNumericName(offsetSeconds),
      };
    },
  };
}

const zones = new Map<string, Zone>();

/** time.LoadLocation; undefined where Go fails (sprig then uses UTC). "Local" is UTC here. */
export function loadZone(name: string): Zone | undefined {
  if (name === '' || name === 'UTC' || name === 'Local') return UTC_ZONE;
  if (name.includes('..') || name.startsWith('/') || name.startsWith('\\')) return undefined;
  const cached = zones.get(name);
  if (cached !== undefined) return cached;
  let zone: Zone | undefined;
  try {
    zone = parseTzif(readFileSync(join(process.env['ZONEINFO'] ?? '/usr/share/zoneinfo', name)));
  } catch {
    try {
      zone = intlZone(name);
    } catch {
      zone = undefined;
    }
  }
  if (zone !== undefined && zones.size < 500) zones.set(name, zone);
  return zone;
}
