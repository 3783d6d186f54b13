/** One figure of the report: its SVG markup (title drawn inside), the caption under it, and its file name in data/figures/. */
export interface ReportFigure {
  file: string;
  title: string;
  caption: string;
  svg: string;
}
