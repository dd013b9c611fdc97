import type { Config, QueueConfig, UserConfig } from '../config/config-schema.js';
import type { UserCredentials } from '../auth/request-authenticator.js';
import type { DialplanDirectory } from '../dialplan/dialplan.js';

/** The users and queues of the running configuration, indexed for lookups on every request. */
export class UserDirectory implements DialplanDirectory {
  private readonly users = new Map<string, UserConfig>();
  private readonly queuesById = new Map<number, QueueConfig>();
  private readonly queuesByExtension = new Map<string, QueueConfig>();

  constructor(config: Pick<Config, 'users' | 'queues'>) {
    for (const u of config.users) this.users.set(u.extension, u);
    for (const q of config.queues) {
      this.queuesById.set(q.id, q);
      if (q.extension !== undefined) this.queuesByExtension.set(q.extension, q);
    }
  }

  user(extension: string): UserConfig | undefined {
    return this.users.get(extension);
  }

  hasUser(extension: string): boolean {
    return this.users.has(extension);
  }

  allUsers(): UserConfig[] {
    return [...this.users.values()];
  }

  queue(id: number): QueueConfig | undefined {
    return this.queuesById.get(id);
  }

  queueByExtension(extension: string): number | undefined {
    return this.queuesByExtension.get(extension)?.id;
  }

  credentials(extension: string): UserCredentials | undefined {
    const u = this.users.get(extension);
    return u && { password: u.password, ha1: u.ha1, ha1Sha256: u.ha1Sha256 };
  }
}
