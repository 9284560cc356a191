// The part of ECharts the UI uses, registered once. Only the bar chart and the grid/tooltip
// components: echarts/core instead of the full build keeps the chunk small.
import { BarChart } from 'echarts/charts';
import { GridComponent, TooltipComponent } from 'echarts/components';
import * as echarts from 'echarts/core';
import { CanvasRenderer } from 'echarts/renderers';

echarts.use([BarChart, GridComponent, TooltipComponent, CanvasRenderer]);

export { echarts };
