// A source's refresh as it runs, from its source.refresh events: reading (bytes of how many, or
// rows so far), then importing. Reset when the refresh ends, so a bar shows only while one runs.
import { useEffect, useState } from 'react';
import type { SourceRefreshProgress } from '../../../../shared/api.js';
import { useApp } from '../../app-context.js';

/** The latest progress of the source named `name` while a refresh of it runs; undefined otherwise. */
export function useRefreshProgress(name: string | undefined): SourceRefreshProgress | undefined {
  const { client } = useApp();
  const [progress, setProgress] = useState<SourceRefreshProgress | undefined>(undefined);
  useEffect(() => {
    setProgress(undefined);
    if (name === undefined) return;
    return client.on('source.refresh', (p) => {
      if (p.source !== name) return;
      setProgress(p.phase === 'ended' ? undefined : p);
    });
  }, [client, name]);
  return progress;
}
