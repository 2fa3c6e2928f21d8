// A small SVG line chart (no dependency): a few named series of (x, y) points over a
// logarithmic x axis (batch sizes) and a linear y axis from 0, with ticks, grid and legend.
// tfaot-tune plots time per sample vs. batch size with it.
#pragma once

#include <string>
#include <utility>
#include <vector>

namespace tfaot::driver {

struct PlotSeries {
  std::string name;
  std::string color;               // any SVG color, e.g. "#1f77b4"
  std::vector<std::pair<double, double>> points;  // x > 0, ascending x
  bool dashed = false;
  bool markers = false;            // a dot at every point (e.g. compiled sizes)
};

struct PlotOptions {
  std::string title, x_label, y_label;
  int width = 800, height = 480;
};

// The whole SVG document. Series without points are left out of the chart and the legend.
std::string svg_line_chart(const std::vector<PlotSeries>& series, const PlotOptions& options);

}  // namespace tfaot::driver
