// Which device permissions the desktop app grants: the camera (video only) to the app's own page,
// for adding pictures to an image dataset, and nothing else to anyone (no microphone, no
// notifications, no clipboard, no other origin). Kept free of the 'electron' import so the
// decision is unit-tested; security.ts installs it on the session.
import { isTrustedUrl } from './app-origin.js';

/** A permission request or check as Electron describes it, reduced to what the decision reads. */
export interface PermissionAsk {
  permission: string;
  /** The URL (or origin) of the frame asking. */
  url: string | undefined;
  /** For 'media': the devices asked for ('video', 'audio'; a check names one, or 'unknown'). */
  mediaTypes?: readonly string[];
}

/** Whether to grant: only 'media' for video alone, asked by the app's own UI. */
export function allowPermission(ask: PermissionAsk, devServerUrl?: string): boolean {
  if (ask.permission !== 'media' || !isTrustedUrl(ask.url, devServerUrl)) return false;
  const types = ask.mediaTypes ?? [];
  return types.length > 0 && types.every((t) => t === 'video');
}
