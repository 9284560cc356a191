// Secrets (a source's password, an S3 secret key; later the fleet's queue and store credentials)
// kept apart from app.db: in one file under the data folder, readable only by its user (mode 0600),
// whose bytes the host may encrypt (the desktop app seals them with Electron's safeStorage, the OS
// keychain). Keys are the caller's (`source:<id>`). The whole file is rewritten atomically on each
// change (a fresh 0600 file renamed over the old one), so a crash leaves the old or the new set.
import { constants } from 'node:fs';
import { mkdir, open, rename, rm } from 'node:fs/promises';
import { randomUUID } from 'node:crypto';
import path from 'node:path';
import { CairnError } from '../errors.js';

export interface SecretStore {
  get(key: string): Promise<string | undefined>;
  set(key: string, value: string): Promise<void>;
  delete(key: string): Promise<void>;
}

/** How the file's bytes are sealed: plain JSON for the CLI and `cairn ui`, safeStorage in the desktop app. */
export interface SecretCodec {
  /** Says what sealed the file, for a message when another host's file cannot be opened here. */
  readonly name: string;
  seal(text: string): Buffer;
  open(sealed: Buffer): string;
}

/** No sealing: the file's 0600 mode is its protection (as for ssh keys and `cairn ui`'s token). */
export const plainCodec: SecretCodec = {
  name: 'plain',
  seal: (text) => Buffer.from(text, 'utf8'),
  open: (sealed) => sealed.toString('utf8'),
};

/** A SecretStore in one file; concurrent changes in this process are serialised. */
export class FileSecretStore implements SecretStore {
  private queue: Promise<unknown> = Promise.resolve();

  constructor(
    private readonly file: string,
    private readonly codec: SecretCodec = plainCodec,
  ) {}

  async get(key: string): Promise<string | undefined> {
    await this.queue;
    return (await this.read())[key];
  }

  set(key: string, value: string): Promise<void> {
    return this.change((all) => ({ ...all, [key]: value }));
  }

  delete(key: string): Promise<void> {
    return this.change((all) => {
      const { [key]: _gone, ...rest } = all;
      return rest;
    });
  }

  private change(fn: (all: Record<string, string>) => Record<string, string>): Promise<void> {
    const next = this.queue.then(async () => this.write(fn(await this.read())));
    this.queue = next.catch(() => undefined);
    return next;
  }

  private async read(): Promise<Record<string, string>> {
    let handle;
    try {
      // O_NOFOLLOW: a symlink planted in the data folder must not make us read another file.
      handle = await open(this.file, constants.O_RDONLY | (constants.O_NOFOLLOW ?? 0));
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code === 'ENOENT') return {};
      throw new CairnError('internal', `the secret store ${this.file} cannot be read (${errCode(err)})`);
    }
    try {
      const stat = await handle.stat();
      if (process.platform !== 'win32' && (stat.mode & 0o077) !== 0)
        throw new CairnError(
          'unauthorized',
          `the secret store ${this.file} can be read by other users (mode ${(stat.mode & 0o777).toString(8)}): not used; remove it and save the passwords again`,
        );
      const parsed: unknown = JSON.parse(this.codec.open(await handle.readFile()));
      if (!parsed || typeof parsed !== 'object' || Array.isArray(parsed)) throw new Error('not an object');
      return Object.fromEntries(Object.entries(parsed).filter((e): e is [string, string] => typeof e[1] === 'string'));
    } catch (err) {
      if (err instanceof CairnError) throw err;
      throw new CairnError(
        'unauthorized',
        `the secret store ${this.file} cannot be opened here (sealed by another host?): give the password through an environment variable instead`,
      );
    } finally {
      await handle.close();
    }
  }

  private async write(all: Record<string, string>): Promise<void> {
    await mkdir(path.dirname(this.file), { recursive: true });
    const tmp = path.join(path.dirname(this.file), `.${path.basename(this.file)}.${randomUUID()}.tmp`);
    // 'wx' with mode 0600: created by us, readable by nobody else from its first byte.
    const handle = await open(tmp, 'wx', 0o600);
    try {
      await handle.writeFile(this.codec.seal(JSON.stringify(all)));
      await handle.sync();
    } finally {
      await handle.close();
    }
    try {
      await rename(tmp, this.file);
    } catch (err) {
      await rm(tmp, { force: true });
      throw err;
    }
  }
}

function errCode(err: unknown): string {
  return (err as NodeJS.ErrnoException).code ?? 'error';
}
