import http from 'node:http';
import { readdirSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import sharp from 'sharp';
import { MAX_STAGED_BYTES } from '../../../../shared/api.js';
import type { CairnService } from '../../../../electron/core/service.js';
import { startHttpHost, type RunningHost } from '../../../../electron/server/http-host.js';
import { hostRequest, startBrowserHost, type BrowserHost, type HostReply, type HostRequest } from './browser-host.js';

const TOKEN = 'test-token-123';
let dir: string;
let service: CairnService;
let host: RunningHost;

/** The reply with its body as text. */
async function request(options: HostRequest): Promise<Omit<HostReply, 'body'> & { body: string }> {
  const reply = await hostRequest(host.port, options);
  return { ...reply, body: reply.body.toString() };
}

const auth = { authorization: `Bearer ${TOKEN}` };

/** A refused call's error. */
const errorOf = (reply: { body: string }) => (JSON.parse(reply.body) as { error: { message: string } }).error;

let started: BrowserHost;
beforeAll(async () => {
  started = await startBrowserHost('cairn-http-', TOKEN);
  ({ dir, service, host } = started);
});
afterAll(async () => started.close());

describe('browser host', () => {
  it('binds loopback by default and prints a URL with the token', () => {
    expect(host.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/$/);
    expect(host.urlWithToken).toBe(`${host.url}?token=${TOKEN}`);
  });

  it('refuses every route without the token', async () => {
    for (const p of ['/', '/index.html', '/api/events', '/api/call/datasets.list']) {
      const r = await request({ path: p, method: p.includes('call') ? 'POST' : 'GET' });
      expect(r.status, p).toBe(401);
    }
  });

  it('answers a browser page load without the token with a page that says what to open, not JSON', async () => {
    const r = await request({ path: '/', headers: { accept: 'text/html,application/xhtml+xml,*/*;q=0.8' } });
    expect(r.status).toBe(401);
    expect(r.headers['content-type']).toMatch(/^text\/html/);
    expect(r.body).toContain('cairn ui');
    expect(r.body).not.toContain('<script');
    expect(r.headers['content-security-policy']).toContain("script-src 'self'");
  });

  it('sets an HttpOnly SameSite cookie on the first load and serves with a CSP', async () => {
    const r = await request({ path: `/?token=${TOKEN}` });
    expect(r.status).toBe(200);
    expect(r.headers['set-cookie']?.[0]).toMatch(/cairn_token=test-token-123; HttpOnly; SameSite=Strict/);
    expect(r.headers['content-security-policy']).toContain("script-src 'self'");
    const withCookie = await request({ path: '/index.html', headers: { cookie: `cairn_token=${TOKEN}` } });
    expect(withCookie.status).toBe(200);
  });

  it('refuses a foreign Host header (DNS rebinding)', async () => {
    const r = await request({ path: `/?token=${TOKEN}`, headers: { host: `evil.example:${host.port}` } });
    expect(r.status).toBe(403);
  });

  it('answers calls with JSON only', async () => {
    const ok = await request({
      method: 'POST',
      path: '/api/call/datasets.list',
      headers: { ...auth, 'content-type': 'application/json' },
      body: '{}',
    });
    expect(ok.status).toBe(200);
    expect(JSON.parse(ok.body)).toEqual({ ok: true, result: [] });
    const form = await request({
      method: 'POST',
      path: '/api/call/datasets.list',
      headers: { ...auth, 'content-type': 'application/x-www-form-urlencoded' },
      body: 'a=1',
    });
    expect(form.status).toBe(415);
    const text = await request({
      method: 'POST',
      path: '/api/call/datasets.list',
      headers: { ...auth, 'content-type': 'text/plain' },
      body: '{}',
    });
    expect(text.status).toBe(415);
  });

  it('returns errors as {code, message} with a matching status and no stack', async () => {
    const unknown = await request({
      method: 'POST',
      path: '/api/call/nope',
      headers: { ...auth, 'content-type': 'application/json' },
      body: '{}',
    });
    expect(unknown.status).toBe(400);
    expect(JSON.parse(unknown.body)).toMatchObject({ ok: false, error: { code: 'invalid_argument' } });
    const missing = await request({
      method: 'POST',
      path: '/api/call/datasets.get',
      headers: { ...auth, 'content-type': 'application/json' },
      body: '{"ref":"nothing"}',
    });
    expect(missing.status).toBe(404);
    expect(missing.body).not.toContain('at ');
    const invalid = await request({
      method: 'POST',
      path: '/api/call/datasets.get',
      headers: { ...auth, 'content-type': 'application/json' },
      body: '{"ref":5}',
    });
    expect(invalid.status).toBe(400);
    const broken = await request({
      method: 'POST',
      path: '/api/call/datasets.list',
      headers: { ...auth, 'content-type': 'application/json' },
      body: '{',
    });
    expect(broken.status).toBe(400);
  });

  it('sends no CORS headers', async () => {
    const r = await request({
      method: 'POST',
      path: '/api/call/datasets.list',
      headers: { ...auth, 'content-type': 'application/json', origin: 'http://evil.example' },
      body: '{}',
    });
    expect(r.headers['access-control-allow-origin']).toBeUndefined();
  });

  it('stops promptly while a browser holds the event stream open', async () => {
    const other = await startHttpHost({
      service,
      staticDir: path.join(dir, 'ui'),
      uploadDir: path.join(dir, 'up2'),
      token: TOKEN,
    });
    const stream = await new Promise<http.IncomingMessage>((resolve, reject) => {
      http
        .get(
          {
            host: '127.0.0.1',
            port: other.port,
            path: `/api/events?token=${TOKEN}`,
            headers: { host: `127.0.0.1:${other.port}` },
          },
          resolve,
        )
        .on('error', reject);
    });
    stream.on('error', () => undefined);
    expect(stream.headers['content-type']).toBe('text/event-stream');
    const closed = other.close().then(() => 'closed');
    const late = new Promise((resolve) => setTimeout(() => resolve('still open after 3 s'), 3000));
    expect(await Promise.race([closed, late])).toBe('closed');
  });

  it('uploads raw bytes, imports them and removes the upload', async () => {
    // A browser sends a File's bare name; one with folders in it is refused (upload-limits.test.ts).
    const up = await request({
      method: 'PUT',
      path: '/api/upload?name=weird%20name.csv',
      headers: { ...auth, 'content-type': 'application/octet-stream' },
      body: 'a,b\n1,x\n2,y\n',
    });
    expect(up.status).toBe(200);
    const { path: uploaded, name } = JSON.parse(up.body) as { path: string; name: string };
    expect(name).toBe('weird name.csv');
    expect(uploaded.startsWith(path.join(dir, 'home', 'uploads'))).toBe(true);
    const result = await service.invoke('datasets.importNow', {
      path: uploaded,
      originalName: name,
      removeSourceAfter: true,
    });
    expect(result).toMatchObject({ name: 'weird name', rows: 2, created: true });
    expect(readdirSync(path.join(dir, 'home', 'uploads'))).toEqual([]);
    const json = await request({
      method: 'PUT',
      path: '/api/upload?name=x.csv',
      headers: { ...auth, 'content-type': 'application/json' },
      body: '{}',
    });
    expect(json.status).toBe(415);
  });

  it('stages a camera picture sent as a call, checked as an import checks a file, and bounds its size', async () => {
    const stage = (data: string) =>
      request({
        method: 'POST',
        path: '/api/call/datasets.stagePicture',
        headers: { ...auth, 'content-type': 'application/json' },
        body: JSON.stringify({ data, name: 'capture-1.png' }),
      });
    const png = await sharp({ create: { width: 4, height: 3, channels: 3, background: '#08f' } })
      .png()
      .toBuffer();
    const ok = await stage(png.toString('base64'));
    expect(ok.status).toBe(200);
    expect(JSON.parse(ok.body)).toMatchObject({ ok: true, result: { width: 4, height: 3, format: 'png' } });
    const text = await stage(Buffer.from('not a picture').toString('base64'));
    expect(text.status).toBe(400);
    expect(errorOf(text).message).toMatch(/capture-1\.png: not a picture/);
    // Past MAX_STAGED_BYTES the call is refused before anything is decoded.
    const big = await stage(Buffer.alloc(MAX_STAGED_BYTES + 3).toString('base64'));
    expect(big.status).toBe(400);
    expect(errorOf(big).message).toMatch(/data/);
  });
});
