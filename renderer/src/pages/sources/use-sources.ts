// The saved sources, kept current by source.changed events (an add, an edit, a refresh that began
// or ended, by this window, a schedule, a pipeline or the CLI's host).
import { useEffect } from 'react';
import type { Source } from '../../../../shared/api.js';
import { useApp } from '../../app-context.js';
import { useAsync, type AsyncState } from '../../lib/use-async.js';

export function useSources(): AsyncState<Source[]> {
  const { client } = useApp();
  const sources = useAsync<Source[]>(() => client.call('sources.list', {}), [client]);
  const reload = sources.reload;
  useEffect(() => client.on('source.changed', reload), [client, reload]);
  return sources;
}
