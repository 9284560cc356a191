import { describe, expect, it } from 'vitest';
import { splitDrop } from '../../../../renderer/src/components/drop-overlay.js';

/** A DataTransferItem as a drop hands it over: a file, or a folder whose File is 0 bytes. */
function item(file: File, directory = false): DataTransferItem {
  return {
    kind: 'file',
    type: file.type,
    getAsFile: () => file,
    webkitGetAsEntry: () => ({ isDirectory: directory, isFile: !directory, name: file.name }) as FileSystemEntry,
  } as unknown as DataTransferItem;
}

function transfer(items: DataTransferItem[]): Pick<DataTransfer, 'items' | 'files'> {
  return {
    items: items as unknown as DataTransferItemList,
    files: items.map((i) => i.getAsFile()) as unknown as FileList,
  };
}

describe('splitDrop', () => {
  it('tells a dropped folder from a file, though both come as Files, and keeps the folder File', () => {
    const csv = new File(['a,b\n1,2\n'], 'sales.csv', { type: 'text/csv' });
    const folder = new File([], 'photos');
    const dropped = splitDrop(transfer([item(csv), item(folder, true)]));
    expect(dropped.files).toEqual([csv]);
    expect(dropped.folders).toEqual([{ name: 'photos', file: folder }]);
  });

  it('falls back to the files list where items are missing', () => {
    const csv = new File(['a\n1\n'], 'a.csv');
    expect(splitDrop({ items: [] as unknown as DataTransferItemList, files: [csv] as unknown as FileList })).toEqual({
      files: [csv],
      folders: [],
    });
  });
});
