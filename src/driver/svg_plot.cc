#include "driver/svg_plot.h"

#include <algorithm>
#include <cmath>

#include <fmt/format.h>

#include "backend/package.h"

namespace tfaot::driver {

namespace {

using backend::xml_escape;

// A "nice" step (1, 2 or 5 times a power of ten) giving about `count` ticks over [0, hi].
double nice_step(double hi, int count) {
  const double raw = hi / count;
  const double mag = std::pow(10.0, std::floor(std::log10(raw)));
  for (double m : {1.0, 2.0, 5.0})
    if (m * mag >= raw) return m * mag;
  return 10 * mag;
}

std::string number(double v) {
  if (v != 0 && (std::abs(v) >= 1e5 || std::abs(v) < 1e-2)) return fmt::format("{:.1e}", v);
  return fmt::format("{:g}", v);
}

}  // namespace

std::string svg_line_chart(const std::vector<PlotSeries>& series, const PlotOptions& o) {
  double xmin = 0, xmax = 0, ymax = 0;
  bool any = false;
  for (const auto& s : series)
    for (const auto& [x, y] : s.points) {
      if (x <= 0 || !std::isfinite(y)) continue;
      xmin = any ? std::min(xmin, x) : x;
      xmax = any ? std::max(xmax, x) : x;
      ymax = std::max(ymax, y);
      any = true;
    }
  if (!any) xmin = 1, xmax = 2;
  if (xmax <= xmin) xmax = xmin * 2;
  if (ymax <= 0) ymax = 1;
  const double ystep = nice_step(ymax * 1.05, 6);
  const double ytop = std::ceil(ymax * 1.05 / ystep) * ystep;
  const int left = 80, right = 190, top = 40, bottom = 60;
  const double pw = o.width - left - right, ph = o.height - top - bottom;
  auto px = [&](double x) { return left + pw * (std::log2(x) - std::log2(xmin)) / (std::log2(xmax) - std::log2(xmin)); };
  auto py = [&](double y) { return top + ph * (1 - y / ytop); };

  std::string svg = fmt::format(
      "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"{0}\" height=\"{1}\" viewBox=\"0 0 {0} {1}\" "
      "font-family=\"sans-serif\" font-size=\"12\">\n<rect width=\"100%\" height=\"100%\" fill=\"white\"/>\n"
      "<text x=\"{2}\" y=\"22\" text-anchor=\"middle\" font-size=\"15\">{3}</text>\n",
      o.width, o.height, left + pw / 2, xml_escape(o.title));
  // Grid and ticks: y linear, x at powers of two.
  for (double y = 0; y <= ytop + ystep / 2; y += ystep)
    svg += fmt::format(
        "<line x1=\"{0}\" x2=\"{1}\" y1=\"{2:.1f}\" y2=\"{2:.1f}\" stroke=\"#ddd\"/>"
        "<text x=\"{3}\" y=\"{4:.1f}\" text-anchor=\"end\">{5}</text>\n",
        left, left + pw, py(y), left - 6, py(y) + 4, number(y));
  for (double x = std::exp2(std::ceil(std::log2(xmin))); x <= xmax * 1.0001; x *= 2)
    svg += fmt::format(
        "<line x1=\"{0:.1f}\" x2=\"{0:.1f}\" y1=\"{1}\" y2=\"{2}\" stroke=\"#ddd\"/>"
        "<text x=\"{0:.1f}\" y=\"{3}\" text-anchor=\"middle\">{4}</text>\n",
        px(x), top, top + ph, top + ph + 18, number(x));
  svg += fmt::format("<rect x=\"{}\" y=\"{}\" width=\"{}\" height=\"{}\" fill=\"none\" stroke=\"black\"/>\n", left, top,
                     pw, ph);
  svg += fmt::format("<text x=\"{:.1f}\" y=\"{}\" text-anchor=\"middle\">{}</text>\n", left + pw / 2, o.height - 15,
                     xml_escape(o.x_label));
  svg += fmt::format("<text transform=\"translate(18 {:.1f}) rotate(-90)\" text-anchor=\"middle\">{}</text>\n",
                     top + ph / 2, xml_escape(o.y_label));

  int legend = 0;
  for (const auto& s : series) {
    if (s.points.empty()) continue;
    const std::string dash = s.dashed ? " stroke-dasharray=\"6 4\"" : "";
    std::string path;
    for (const auto& [x, y] : s.points) {
      if (x <= 0 || !std::isfinite(y)) continue;
      path += fmt::format("{}{:.1f},{:.1f}", path.empty() ? "M" : " L", px(x), py(y));
    }
    svg += fmt::format("<path d=\"{}\" fill=\"none\" stroke=\"{}\" stroke-width=\"1.8\"{}/>\n", path, s.color, dash);
    if (s.markers)
      for (const auto& [x, y] : s.points)
        if (x > 0 && std::isfinite(y))
          svg += fmt::format("<circle cx=\"{:.1f}\" cy=\"{:.1f}\" r=\"3.5\" fill=\"{}\"/>\n", px(x), py(y), s.color);
    const double ly = top + 10 + 20 * legend++;
    svg += fmt::format(
        "<line x1=\"{0}\" x2=\"{1}\" y1=\"{2:.1f}\" y2=\"{2:.1f}\" stroke=\"{3}\" stroke-width=\"2\"{4}/>"
        "<text x=\"{5}\" y=\"{6:.1f}\">{7}</text>\n",
        left + pw + 12, left + pw + 36, ly, s.color, dash, left + pw + 42, ly + 4, xml_escape(s.name));
  }
  return svg + "</svg>\n";
}

}  // namespace tfaot::driver
