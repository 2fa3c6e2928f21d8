// The SVG chart: well-formed enough to render (one svg element, one path per non-empty series,
// escaped text, log2 x ticks), and empty series left out.
#include "driver/svg_plot.h"

#include <gtest/gtest.h>

namespace tfaot::driver {
namespace {

size_t count(const std::string& s, const std::string& what) {
  size_t n = 0;
  for (size_t p = s.find(what); p != std::string::npos; p = s.find(what, p + 1)) ++n;
  return n;
}

TEST(SvgPlot, SeriesLegendTicksAndEscaping) {
  PlotSeries a{"a < b & c", "#123456", {{1, 10}, {2, 5}, {16, 2}}, false, true};
  PlotSeries b{"dashed", "red", {{1, 12}, {16, 3}}, true, false};
  PlotSeries empty{"nothing", "blue", {}, false, false};
  PlotOptions o;
  o.title = "t\"itle";
  const std::string svg = svg_line_chart({a, b, empty}, o);
  EXPECT_EQ(svg.rfind("<svg xmlns=\"http://www.w3.org/2000/svg\"", 0), 0u);
  EXPECT_EQ(count(svg, "<svg"), 1u);
  EXPECT_EQ(svg.substr(svg.size() - 7), "</svg>\n");
  EXPECT_EQ(count(svg, "<path "), 2u);
  EXPECT_EQ(count(svg, "<circle "), 3u);  // markers of series a only
  EXPECT_EQ(count(svg, "stroke-dasharray"), 2u);  // b's line and legend entry
  EXPECT_NE(svg.find("a &lt; b &amp; c"), std::string::npos);
  EXPECT_NE(svg.find("t&quot;itle"), std::string::npos);
  EXPECT_EQ(svg.find("nothing"), std::string::npos);
  for (const char* tick : {">1<", ">2<", ">4<", ">8<", ">16<"}) EXPECT_NE(svg.find(tick), std::string::npos) << tick;
  EXPECT_EQ(svg.find("nan"), std::string::npos);
  EXPECT_EQ(svg.find("inf"), std::string::npos);
}

TEST(SvgPlot, NoPointsStillValid) {
  const std::string svg = svg_line_chart({}, PlotOptions{});
  EXPECT_NE(svg.find("</svg>"), std::string::npos);
  EXPECT_EQ(svg.find("nan"), std::string::npos);
}

}  // namespace
}  // namespace tfaot::driver
