// The profile histogram's labels: rounded ticks under the bars, the bin's full edges on hover.
import { describe, expect, it } from 'vitest';
import { histogramOption } from '../../../../../renderer/src/pages/datasets/profile-charts.js';

describe('profile histogram', () => {
  const bins = [
    { lo: 0.2, hi: 0.9215, count: 4 },
    { lo: 0.9215, hi: 1.643, count: 9 },
    { lo: 1.643, hi: 2.3645000000000005, count: 2 },
  ];

  it('labels bars with the decimals that tell bins apart and shows each bin in full on hover', () => {
    const option = histogramOption(bins) as {
      xAxis: { data: string[] };
      tooltip: { formatter: (params: unknown) => string };
    };
    expect(option.xAxis.data).toEqual(['0.2', '0.9', '1.6']);
    expect(option.tooltip.formatter([{ dataIndex: 2 }])).toBe('1.643 – 2.3645<br/><b>2</b> rows');
  });
});
