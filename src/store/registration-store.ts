import Database from 'better-sqlite3';
import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import { type Binding, bindingKey } from '../registrar/binding.js';
import type { TransportProtocol } from '../../sip-stack/transport/transport-types.js';

interface BindingRow {
  aor: string; binding_key: string; contact: string; instance_id: string | null; reg_id: number | null;
  expires_at: number; call_id: string; cseq: number; protocol: string; address: string; port: number;
  user_agent: string | null; q: number | null; registered_at: number;
}

/**
 * Registrations in SQLite, so that a restart does not make every phone unreachable until it
 * re-registers. WAL with synchronous=NORMAL: a crash may lose the last moments of refreshes,
 * which phones repeat anyway, in exchange for thousands of writes a second.
 */
export class RegistrationStore {
  private readonly db: Database.Database;
  private readonly upsertStmt: Database.Statement;
  private readonly deleteStmt: Database.Statement;
  private readonly deleteAorStmt: Database.Statement;
  private readonly pruneStmt: Database.Statement;
  private readonly allStmt: Database.Statement;
  private closed = false;
  /** Writes not yet committed: applied together, in order, in one transaction per event-loop turn. */
  private pending: Array<() => void> = [];
  private flushScheduled: NodeJS.Immediate | undefined;
  private readonly applyBatch: (writes: ReadonlyArray<() => void>) => void;

  /** `onError` hears of a failed commit (disk full, a locked file); memory stays authoritative. */
  constructor(path: string, private readonly onError: (error: unknown) => void = reportToProcess) {
    if (path !== ':memory:') mkdirSync(dirname(path), { recursive: true });
    this.db = new Database(path);
    this.db.pragma('journal_mode = WAL');
    this.db.pragma('synchronous = NORMAL');
    this.db.exec(SCHEMA);
    this.upsertStmt = this.db.prepare(UPSERT);
    this.deleteStmt = this.db.prepare('DELETE FROM bindings WHERE aor = ? AND binding_key = ?');
    this.deleteAorStmt = this.db.prepare('DELETE FROM bindings WHERE aor = ?');
    this.pruneStmt = this.db.prepare('DELETE FROM bindings WHERE expires_at <= ?');
    this.allStmt = this.db.prepare('SELECT * FROM bindings WHERE expires_at > ?');
    this.applyBatch = this.db.transaction((writes: ReadonlyArray<() => void>) => {
      for (const write of writes) write();
    });
  }

  /**
   * The location service answers from memory; the store is what a restart reads back. Writes are
   * therefore queued and committed together once the current burst of datagrams is handled: one
   * transaction for hundreds of REGISTERs instead of one each, at the cost of the same few
   * milliseconds of refreshes a crash could lose under synchronous=NORMAL anyway.
   */
  save(b: Binding): void {
    const row = {
      aor: b.aor, binding_key: bindingKey(b), contact: b.contact, instance_id: b.instanceId ?? null,
      reg_id: b.regId ?? null, expires_at: b.expiresAt, call_id: b.callId, cseq: b.cseq,
      protocol: b.source.protocol, address: b.source.address, port: b.source.port,
      user_agent: b.userAgent ?? null, q: b.q ?? null, registered_at: b.registeredAt,
    };
    this.enqueue(() => this.upsertStmt.run(row));
  }

  remove(aor: string, key: string): void {
    this.enqueue(() => this.deleteStmt.run(aor, key));
  }

  removeAll(aor: string): void {
    this.enqueue(() => this.deleteAorStmt.run(aor));
  }

  /** Deletes expired bindings; returns how many. */
  prune(now: number): number {
    this.flush();
    return this.pruneStmt.run(now).changes;
  }

  loadLive(now: number): Binding[] {
    this.flush();
    return (this.allStmt.all(now) as BindingRow[]).map(rowToBinding);
  }

  /**
   * Commits the queued writes now. Should the batch fail (a locked file, a bad row), each write
   * is tried on its own so that one bad write does not lose the others; the first error that
   * remains is thrown after all were tried.
   */
  flush(): void {
    if (this.flushScheduled !== undefined) {
      clearImmediate(this.flushScheduled);
      this.flushScheduled = undefined;
    }
    if (this.pending.length === 0 || this.closed) return;
    const writes = this.pending;
    this.pending = [];
    try {
      this.applyBatch(writes);
    } catch {
      this.applyOneByOne(writes);
    }
  }

  private applyOneByOne(writes: ReadonlyArray<() => void>): void {
    let failure: unknown;
    for (const write of writes) {
      try {
        write();
      } catch (error) {
        failure ??= error;
      }
    }
    if (failure !== undefined) throw failure;
  }

  private enqueue(write: () => void): void {
    if (this.closed) return;
    this.pending.push(write);
    this.flushScheduled ??= setImmediate(() => {
      this.flushScheduled = undefined;
      try {
        this.flush();
      } catch (error) {
        this.onError(error);
      }
    });
  }

  close(): void {
    if (this.closed) return;
    try {
      this.flush();
    } finally {
      this.closed = true;
      this.db.close();
    }
  }
}

function reportToProcess(error: unknown): void {
  process.emitWarning(`registration store: ${error instanceof Error ? error.message : String(error)}`);
}

function rowToBinding(r: BindingRow): Binding {
  return {
    aor: r.aor, contact: r.contact, instanceId: r.instance_id ?? undefined, regId: r.reg_id ?? undefined,
    expiresAt: r.expires_at, callId: r.call_id, cseq: r.cseq,
    source: { protocol: r.protocol as TransportProtocol, address: r.address, port: r.port, flowId: undefined },
    userAgent: r.user_agent ?? undefined, q: r.q ?? undefined, registeredAt: r.registered_at,
  };
}

const SCHEMA = `
CREATE TABLE IF NOT EXISTS bindings (
  aor TEXT NOT NULL,
  binding_key TEXT NOT NULL,
  contact TEXT NOT NULL,
  instance_id TEXT,
  reg_id INTEGER,
  expires_at INTEGER NOT NULL,
  call_id TEXT NOT NULL,
  cseq INTEGER NOT NULL,
  protocol TEXT NOT NULL,
  address TEXT NOT NULL,
  port INTEGER NOT NULL,
  user_agent TEXT,
  q REAL,
  registered_at INTEGER NOT NULL,
  PRIMARY KEY (aor, binding_key)
);
CREATE INDEX IF NOT EXISTS bindings_expiry ON bindings (expires_at);
`;

const UPSERT = `
INSERT INTO bindings (aor, binding_key, contact, instance_id, reg_id, expires_at, call_id, cseq, protocol,
  address, port, user_agent, q, registered_at)
VALUES (@aor, @binding_key, @contact, @instance_id, @reg_id, @expires_at, @call_id, @cseq, @protocol,
  @address, @port, @user_agent, @q, @registered_at)
ON CONFLICT (aor, binding_key) DO UPDATE SET contact = excluded.contact, expires_at = excluded.expires_at,
  call_id = excluded.call_id, cseq = excluded.cseq, protocol = excluded.protocol, address = excluded.address,
  port = excluded.port, user_agent = excluded.user_agent, q = excluded.q, registered_at = excluded.registered_at
`;
