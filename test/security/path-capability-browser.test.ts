// Paths are a capability of the host (issue 17, item 2), for the browser host of `cairn ui`: over
// real HTTP with the token, a call may read only what was uploaded to it and writes nothing on the
// server; outputs come as downloads. Errors about files name them, never quote them. Plus the
// host's small guards: upload names and sizes, a malformed cookie, and the addresses of 0.0.0.0.
import { existsSync, mkdirSync, readFileSync, readdirSync, symlinkSync, writeFileSync } from 'node:fs';
import type os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { EventPayload, PipelineRun } from '../../shared/api.js';
import { CairnService } from '../../electron/core/service.js';
import { startHttpHost, type RunningHost } from '../../electron/server/http-host.js';
import { allowedHosts, reachableAddresses } from '../../electron/server/security.js';
import { tempDir } from '../unit/electron/core/helpers.js';
import { classificationCsv } from '../unit/electron/core/training/data.js';
import { hostRequest, type HostReply, type HostRequest } from '../unit/electron/server/browser-host.js';

process.env.CAIRN_BACKEND = 'cpu';

const TOKEN = 'path-capability-token';
let dir: string;
let home: string;
let cleanup: () => Promise<void>;
let service: CairnService;
let host: RunningHost;
/** A file of the user's outside the uploads folder, as a path an attacker would name. */
let outside: string;
const SECRET_LINE = 'secret-first-line,of-a-private-file';

function request(options: HostRequest): Promise<HostReply> {
  return hostRequest(host.port, { ...options, headers: { authorization: `Bearer ${TOKEN}`, ...options.headers } });
}

async function call(
  method: string,
  arg: unknown,
): Promise<{ status: number; reply: { ok: boolean; error?: { code: string; message: string }; result?: unknown } }> {
  const r = await request({
    method: 'POST',
    path: `/api/call/${method}`,
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(arg),
  });
  return {
    status: r.status,
    reply: JSON.parse(r.body.toString()) as { ok: boolean; error?: { code: string; message: string } },
  };
}

async function upload(name: string, body: string): Promise<{ path: string; name: string }> {
  const r = await request({
    method: 'PUT',
    path: `/api/upload?name=${encodeURIComponent(name)}`,
    headers: { 'content-type': 'application/octet-stream' },
    body,
  });
  expect(r.status, r.body.toString()).toBe(200);
  return JSON.parse(r.body.toString()) as { path: string; name: string };
}

beforeAll(async () => {
  ({ dir, cleanup } = await tempDir('cairn-sec-paths-'));
  home = path.join(dir, 'home');
  outside = path.join(dir, 'private.csv');
  writeFileSync(outside, `${SECRET_LINE}\n1,2\n`);
  // A model to export, trained by the CLI's host (whose shell user may name any file).
  writeFileSync(path.join(dir, 'flowers.csv'), classificationCsv(120));
  const cli = await CairnService.open({ home, host: 'cli' });
  await cli.invoke('datasets.importNow', { path: path.join(dir, 'flowers.csv') });
  await cli.invoke('runs.startNow', { dataset: 'flowers', target: 'label', epochs: 2, hiddenLayers: [{ units: 4 }] });
  await cli.close();

  const ui = path.join(dir, 'ui');
  mkdirSync(ui);
  writeFileSync(path.join(ui, 'index.html'), '<!doctype html><title>Cairn</title>');
  // As `cairn ui` opens it: host 'browser' gets the uploads-only policy by default.
  service = await CairnService.open({ home, host: 'browser' });
  host = await startHttpHost({
    service,
    staticDir: ui,
    uploadDir: path.join(home, 'uploads'),
    token: TOKEN,
    maxUploadBytes: 64 * 1024,
  });
});

afterAll(async () => {
  await host?.close();
  await service?.close();
  await cleanup();
});

describe('browser host: files only as uploads', () => {
  it('refuses to import a file outside the uploads folder, /etc/passwd included', async () => {
    for (const file of [outside, '/etc/passwd', path.join(home, 'uploads', '..', '..', 'private.csv')]) {
      for (const method of ['datasets.importNow', 'datasets.import']) {
        const { status, reply } = await call(method, { path: file });
        expect(status, `${method} ${file}`).toBe(401);
        expect(reply.error?.code).toBe('unauthorized');
        expect(reply.error?.message).toMatch(/upload/);
      }
    }
    const listed = await call('datasets.list', {});
    expect((listed.reply.result as { name: string }[]).map((d) => d.name)).toEqual(['flowers']);
  });

  it('refuses an upload-folder path that is a symlink to a file outside', async () => {
    const folder = path.join(home, 'uploads', 'planted');
    mkdirSync(folder, { recursive: true });
    const link = path.join(folder, 'link.csv');
    symlinkSync(outside, link);
    const { status, reply } = await call('datasets.importNow', { path: link });
    expect(status).toBe(401);
    expect(reply.error?.code).toBe('unauthorized');
  });

  it('imports what was uploaded', async () => {
    const up = await upload('mine.csv', 'a,b\n1,x\n2,y\n');
    const { status, reply } = await call('datasets.importNow', {
      path: up.path,
      originalName: up.name,
      removeSourceAfter: true,
    });
    expect(status, JSON.stringify(reply)).toBe(200);
    expect(reply.result).toMatchObject({ name: 'mine', rows: 2 });
  });

  it('gives a feedback CSV error that names the file, never quotes its first line', async () => {
    // Outside the uploads: refused before it is read.
    const refused = await call('monitoring.feedbackCsv', { model: 'flowers', path: outside });
    expect(refused.status).toBe(401);
    expect(JSON.stringify(refused.reply)).not.toContain('secret-first-line');
    const passwd = await call('monitoring.feedbackCsv', { model: 'flowers', path: '/etc/passwd' });
    expect(passwd.status).toBe(401);
    const firstLine = readFileSync('/etc/passwd', 'utf8').split('\n')[0] as string;
    expect(JSON.stringify(passwd.reply)).not.toContain(firstLine.split(':')[0] + ':');
    // Uploaded but without id and label columns: the message names the file and line 1 only.
    const up = await upload('labels.csv', `${SECRET_LINE}\n1,2\n`);
    const wrong = await call('monitoring.feedbackCsv', { model: 'flowers', path: up.path });
    expect(wrong.status).toBe(400);
    expect(wrong.reply.error?.message).toBe('labels.csv, line 1: the header needs an "id" and a "label" column');
    expect(JSON.stringify(wrong.reply)).not.toContain('secret-first-line');
  });

  it('writes no server file: export and predictFile with `out` are refused', async () => {
    const target = path.join(dir, 'exported.zip');
    const exported = await call('models.export', { name: 'flowers', out: target });
    expect(exported.status).toBe(401);
    expect(exported.reply.error?.message).toMatch(/downloads/);
    expect(existsSync(target)).toBe(false);
    const up = await upload('score.csv', 'x1,x2,color\n1,1,red\n');
    const scored = await call('models.predictFile', {
      model: 'flowers',
      path: up.path,
      out: path.join(dir, 'scored.csv'),
    });
    expect(scored.status).toBe(401);
    expect(existsSync(path.join(dir, 'scored.csv'))).toBe(false);
    // Without `out`, an uploaded file is scored and the predictions come back.
    const ok = await call('models.predictFile', { model: 'flowers', path: up.path });
    expect(ok.status, JSON.stringify(ok.reply)).toBe(200);
  });

  it('hands a model export out as a token-guarded download, leaving no file behind', async () => {
    const r = await request({ path: '/api/download/model?name=flowers&version=1' });
    expect(r.status, r.body.toString()).toBe(200);
    expect(r.headers['content-type']).toBe('application/zip');
    expect(r.headers['content-disposition']).toMatch(/^attachment; filename="flowers-v1.zip"/);
    expect(r.body.subarray(0, 2).toString()).toBe('PK');
    expect(Number(r.headers['content-length'])).toBe(r.body.length);
    // The temporary bundle is gone once sent.
    await expect
      .poll(() =>
        readdirSync(path.join(home, 'work'), { recursive: true, encoding: 'utf8' }).filter((f) =>
          path.basename(f).startsWith('download-'),
        ),
      )
      .toEqual([]);
    const noToken = await request({
      path: '/api/download/model?name=flowers&version=1',
      headers: { authorization: '' },
    });
    expect(noToken.status).toBe(401);
    const missing = await request({ path: '/api/download/model?name=nope&version=1' });
    expect(missing.status).toBe(404);
  });

  it('hands the same version out as ONNX on ?format=onnx, and refuses any other format', async () => {
    const r = await request({ path: '/api/download/model?name=flowers&version=1&format=onnx' });
    expect(r.status, r.body.toString()).toBe(200);
    expect(r.headers['content-type']).toBe('application/octet-stream');
    expect(r.headers['content-disposition']).toMatch(/^attachment; filename="flowers-v1.onnx"/);
    expect(r.body.length).toBeGreaterThan(100);
    await expect
      .poll(() =>
        readdirSync(path.join(home, 'work'), { recursive: true, encoding: 'utf8' }).filter((f) =>
          path.basename(f).startsWith('download-'),
        ),
      )
      .toEqual([]);
    const bad = await request({ path: '/api/download/model?name=flowers&version=1&format=../../etc' });
    expect(bad.status).toBe(400);
  });

  it('refuses a pipeline whose dataset node names a file outside the data folder, naming the node', async () => {
    for (const [i, dataset] of [outside, '../private.csv'].entries()) {
      const spec = await service.invoke('pipelines.fromTemplate', {
        template: 'tabular-classification',
        dataset,
        target: 'label',
        name: `escape-${i}`,
      });
      const saved = await service.invoke('pipelines.save', { spec });
      const ended = new Promise<PipelineRun>((resolve) => {
        const off = service.events.subscribe((event, payload) => {
          const p = payload as EventPayload<'pipeline.run'>;
          if (
            event === 'pipeline.run' &&
            p.pipelineId === saved.pipeline.id &&
            !['queued', 'running'].includes(p.status)
          ) {
            off();
            void service.invoke('pipelines.runGet', { runId: p.id }).then(resolve);
          }
        });
      });
      await service.invoke('pipelines.run', { id: saved.pipeline.id });
      const run = await ended;
      expect(run.status).toBe('failed');
      const source = run.steps.find((s) => s.error);
      expect(source?.nodeId).toBe(spec.nodes.find((n) => n.kind === 'dataset')?.id);
      expect(source?.error?.message).toMatch(/outside the pipeline's folder/);
      expect(run.error?.message).toMatch(/^step "[^"]+" failed/);
    }
    const names = (await service.invoke('datasets.list', {})).map((d) => d.name);
    expect(names).not.toContain('private');
  });
});

describe('browser host: upload and request guards', () => {
  const uploads = () => (existsSync(path.join(home, 'uploads')) ? readdirSync(path.join(home, 'uploads')).sort() : []);

  it('refuses unsafe upload names with 400', async () => {
    const before = uploads();
    for (const name of ['..', '.', '../../x.csv', 'a/b.csv', 'a\\b.csv', 'bell\u0007.csv']) {
      const r = await request({
        method: 'PUT',
        path: `/api/upload?name=${encodeURIComponent(name)}`,
        headers: { 'content-type': 'application/octet-stream' },
        body: 'a\n1\n',
      });
      expect(r.status, name).toBe(400);
    }
    expect(uploads()).toEqual(before);
  });

  it('refuses an upload over the limit with 413 naming it, and keeps nothing of it', async () => {
    const before = uploads();
    const r = await request({
      method: 'PUT',
      path: '/api/upload?name=big.csv',
      headers: { 'content-type': 'application/octet-stream' },
      body: Buffer.alloc(200 * 1024, 'a'),
    });
    expect(r.status).toBe(413);
    // The unread rest of the body leaves the connection unusable: the server closes it.
    expect(r.headers.connection).toBe('close');
    expect(r.body.toString()).toMatch(/uploads are limited to 64 KiB/);
    expect(uploads()).toEqual(before);
    // Without a Content-Length (chunked), the bytes themselves are counted.
    const chunked = await request({
      method: 'PUT',
      path: '/api/upload?name=big.csv',
      headers: { 'content-type': 'application/octet-stream', 'transfer-encoding': 'chunked' },
      body: Buffer.alloc(200 * 1024, 'a'),
    });
    expect(chunked.status).toBe(413);
    expect(chunked.headers.connection).toBe('close');
    expect(uploads()).toEqual(before);
  });

  it('answers a cookie with a malformed percent-escape with 400, not 500', async () => {
    const r = await request({ path: '/index.html', headers: { authorization: '', cookie: 'cairn_token=%E0%A4%A' } });
    expect(r.status).toBe(400);
  });
});

describe('cairn ui --host 0.0.0.0', () => {
  const interfaces = {
    lo: [
      {
        address: '127.0.0.1',
        netmask: '255.0.0.0',
        family: 'IPv4',
        mac: '00:00:00:00:00:00',
        internal: true,
        cidr: '127.0.0.1/8',
      },
    ],
    eth0: [
      {
        address: '192.168.1.20',
        netmask: '255.255.255.0',
        family: 'IPv4',
        mac: '02:00:00:00:00:01',
        internal: false,
        cidr: '192.168.1.20/24',
      },
      {
        address: 'fe80::1',
        netmask: 'ffff:ffff:ffff:ffff::',
        family: 'IPv6',
        mac: '02:00:00:00:00:01',
        internal: false,
        cidr: 'fe80::1/64',
        scopeid: 2,
      },
    ],
  } as unknown as ReturnType<typeof os.networkInterfaces>;

  it("prints the machine's network addresses and accepts them as Host, still refusing other names", () => {
    const reachable = reachableAddresses('0.0.0.0', interfaces);
    expect(reachable).toEqual(['192.168.1.20']);
    const hosts = allowedHosts('0.0.0.0', 8080, reachable);
    expect(hosts.has('192.168.1.20:8080')).toBe(true);
    expect(hosts.has('127.0.0.1:8080')).toBe(true);
    expect(hosts.has('evil.example:8080')).toBe(false);
    expect(hosts.has('0.0.0.0:8080')).toBe(false);
  });
});
