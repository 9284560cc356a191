// The app itself: the backend it trains on and the facts About shows.
import { z } from 'zod';

export const BackendName = z.enum(['tensorflow', 'wasm', 'cpu']);
export type BackendName = z.infer<typeof BackendName>;

export const AppInfo = z.object({
  version: z.string(),
  home: z.string(),
  backend: z.object({
    name: BackendName,
    tried: z.array(z.object({ name: z.string(), ok: z.boolean(), error: z.string().optional() })),
  }),
  electron: z.object({ present: z.boolean(), version: z.string().optional() }),
  versions: z.record(z.string(), z.string()),
  host: z.enum(['desktop', 'browser', 'cli']),
});
export type AppInfo = z.infer<typeof AppInfo>;
