import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';

/**
 * The compiled head scanner (sip-stack/native/head-scanner.c). It reads the head of the common
 * message in one pass over its bytes and writes what it found into the Int32Array given to
 * init(); anything it does not take (see head-scanner.c) is left to the TypeScript parser.
 */
export interface ScannerAddon {
  /**
   * Gives the scanner the parser's tables (native-head.ts) and the array every scan writes into;
   * throws when they do not fit the compiled scanner (a table too large, another layout).
   */
  init(tables: ScannerTables): number;
  /**
   * Scans a datagram or a framed message; returns the head's text (its bytes up to the empty
   * line, one char per byte) when it took the message, else undefined.
   */
  scan(buf: Buffer): string | undefined;
}

export interface ScannerTables {
  /** The header spellings, in the order of the name ids; a role and a single-value bit per spelling. */
  readonly spellings: string[];
  readonly roles: Int32Array;
  readonly singles: Int32Array;
  /** The byte classes of the fast paths (fast-params.ts), their bits, and the token chars. */
  readonly byteClass: Uint8Array;
  readonly bits: Int32Array;
  readonly token: Uint8Array;
  /** The transports of the Via fast path, by index. */
  readonly transports: string[];
  /** The offsets both sides must agree on (see head-scanner.c's same_layout). */
  readonly layout: Int32Array;
  readonly out: Int32Array;
}

/** build/ at the project's root, seen from this file in the sources and from its copy in dist/. */
const ADDON_PLACES = ['../../build/sip-scanner.node', '../../../build/sip-scanner.node'];

/** The loaded addon, undefined where it was not built or will not load here. */
let addon: ScannerAddon | undefined | null = null;
/** Whether the parser uses the addon (it may be switched off, e.g. to compare both paths). */
let enabled = true;

/** Where the build put the addon, if it did. */
export function scannerPath(): string | undefined {
  return ADDON_PLACES.map((place) => fileURLToPath(new URL(place, import.meta.url))).find((path) => existsSync(path));
}

function load(): ScannerAddon | undefined {
  const path = scannerPath();
  if (path === undefined) return undefined;
  try {
    return createRequire(import.meta.url)(path) as ScannerAddon;
  } catch {
    // A build for another Node.js: the TypeScript parser does all the work.
    return undefined;
  }
}

/** The addon, loaded on first use; undefined when it is missing or switched off. */
export function nativeScanner(): ScannerAddon | undefined {
  if (addon === null) addon = load();
  return enabled ? addon : undefined;
}

/** Whether the addon was built and loads in this process. */
export function nativeScannerLoaded(): boolean {
  if (addon === null) addon = load();
  return addon !== undefined;
}

/**
 * Switches the addon on or off for every later parse (it is on by default when it loads);
 * returns whether it is now in use.
 */
export function setNativeScanner(on: boolean): boolean {
  enabled = on;
  return nativeScanner() !== undefined;
}
