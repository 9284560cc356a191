// The data folder's dataset names and versions (for the dataset picker) and the columns of the datasets a
// pipeline reads (for the column pickers), loaded once per dataset version and refreshed when
// an import finishes.
import { useCallback, useEffect, useState } from 'react';
import type { Dataset } from '../../../../shared/api.js';
import { useApp } from '../../app-context.js';
import type { DatasetColumns } from './node-columns.js';

const keyOf = (name: string, version: number | undefined) => `${name}\u0000${version ?? 'latest'}`;

export interface DatasetInfo {
  names: string[];
  columnsOf: DatasetColumns;
  /** A dataset's versions, newest first, if it is in the data folder. */
  versionsOf: (name: string) => number[] | undefined;
}

/** Dataset names, and columns of the (name, version) pairs asked for. */
export function useDatasetColumns(refs: readonly { name: string; version: number | undefined }[]): DatasetInfo {
  const { client } = useApp();
  const [datasets, setDatasets] = useState<Dataset[]>([]);
  const [columns, setColumns] = useState<ReadonlyMap<string, readonly string[] | null>>(() => new Map());
  const [tick, setTick] = useState(0);

  useEffect(() => client.on('job.finished', (j) => j.status === 'succeeded' && setTick((t) => t + 1)), [client]);

  useEffect(() => {
    let current = true;
    client.call('datasets.list', {}).then(
      (list) => current && setDatasets(list),
      () => undefined, // the picker then offers no suggestions; the field still takes a name or path
    );
    return () => {
      current = false;
    };
  }, [client, tick]);

  const wanted = refs
    .filter((r) => datasets.some((d) => d.name === r.name))
    .map((r) => keyOf(r.name, r.version))
    .sort()
    .join('\n');

  useEffect(() => {
    // A new import may add a version or change "latest": forget what was loaded.
    setColumns(new Map());
  }, [tick]);

  useEffect(() => {
    for (const key of wanted ? wanted.split('\n') : []) {
      if (columns.has(key)) continue;
      const [name = '', v = 'latest'] = key.split('\u0000');
      setColumns((m) => new Map(m).set(key, null));
      client.call('datasets.get', { ref: name, ...(v === 'latest' ? {} : { version: Number(v) }) }).then(
        (d) =>
          setColumns((m) =>
            new Map(m).set(
              key,
              d.columns.map((c) => c.name),
            ),
          ),
        () => undefined,
      );
    }
  }, [client, wanted, columns]);

  const columnsOf = useCallback<DatasetColumns>(
    (name, version) => columns.get(keyOf(name, version)) ?? undefined,
    [columns],
  );
  const versionsOf = useCallback(
    (name: string) => {
      const d = datasets.find((x) => x.name === name);
      return d ? Array.from({ length: d.latestVersion }, (_, i) => d.latestVersion - i) : undefined;
    },
    [datasets],
  );
  return { names: datasets.map((d) => d.name).sort((a, b) => a.localeCompare(b)), columnsOf, versionsOf };
}
