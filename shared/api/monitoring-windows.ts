// Plain data with no zod (monitoring.ts makes the schema from it), so `cairn monitor` names the
// windows in its help without loading the contract.

/** The windows the monitoring page and `cairn monitor` offer. */
export const monitoringWindows = ['1h', '24h', '7d'] as const;
