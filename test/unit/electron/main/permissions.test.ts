// The desktop app's permission decision: the camera for its own page, nothing else for anyone.
import { describe, expect, it } from 'vitest';
import { APP_ENTRY_URL } from '../../../../electron/main/app-origin.js';
import { allowPermission } from '../../../../electron/main/permissions.js';

describe('allowPermission', () => {
  it("allows the app's own page the camera (video only)", () => {
    expect(allowPermission({ permission: 'media', url: APP_ENTRY_URL, mediaTypes: ['video'] })).toBe(true);
    // A permission check names the origin, not a page.
    expect(allowPermission({ permission: 'media', url: 'app://cairn', mediaTypes: ['video'] })).toBe(true);
  });

  it('denies the camera to any other origin', () => {
    for (const url of ['https://example.com/', 'app://evil/index.html', 'file:///tmp/x.html', undefined])
      expect(allowPermission({ permission: 'media', url, mediaTypes: ['video'] })).toBe(false);
  });

  it('denies the microphone, with or without the camera, and unnamed devices', () => {
    for (const mediaTypes of [['audio'], ['video', 'audio'], ['unknown'], []])
      expect(allowPermission({ permission: 'media', url: APP_ENTRY_URL, mediaTypes })).toBe(false);
  });

  it('denies every other permission to its own page too', () => {
    for (const permission of ['notifications', 'clipboard-read', 'geolocation', 'display-capture', 'midi'])
      expect(allowPermission({ permission, url: APP_ENTRY_URL, mediaTypes: ['video'] })).toBe(false);
  });

  it('allows the dev server origin only in development', () => {
    const dev = 'http://localhost:5173/';
    expect(allowPermission({ permission: 'media', url: dev, mediaTypes: ['video'] })).toBe(false);
    expect(allowPermission({ permission: 'media', url: dev, mediaTypes: ['video'] }, dev)).toBe(true);
  });
});
