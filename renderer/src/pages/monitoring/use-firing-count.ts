// How many alerts fire now across all models, for the badge on the Monitoring tab: read once,
// then kept current by alert.fired / alert.resolved (re-read on each, so a missed event heals).
// A rule fires at most one alert at a time, so a page of MAX_COUNTED covers any real count
// cheaply; past it the badge shows MAX_COUNTED.
import { useEffect, useState } from 'react';
import type { CairnClient } from '../../../../shared/api.js';

/** Firing alerts counted at most. */
export const MAX_COUNTED = 100;

export function useFiringCount(client: CairnClient): number {
  const [count, setCount] = useState(0);
  useEffect(() => {
    let current = true;
    const read = () => {
      client.call('monitoring.alerts', { status: 'firing', limit: MAX_COUNTED }).then(
        (alerts) => current && setCount(alerts.length),
        // A badge is a hint: with the engine unreachable the page itself says why.
        () => undefined,
      );
    };
    read();
    const offs = [client.on('alert.fired', read), client.on('alert.resolved', read)];
    return () => {
      current = false;
      offs.forEach((off) => off());
    };
  }, [client]);
  return count;
}
