// How many alerts fire now across all models, for the badge on the Monitoring tab: read once,
// then kept current by alert.fired / alert.resolved (re-read on each, so a missed event heals).
import { useEffect, useState } from 'react';
import type { CairnClient } from '../../../../shared/api.js';

export function useFiringCount(client: CairnClient): number {
  const [count, setCount] = useState(0);
  useEffect(() => {
    let current = true;
    const read = () => {
      client.call('monitoring.alerts', { status: 'firing', limit: 10_000 }).then(
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
