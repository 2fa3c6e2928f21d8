#include "driver/tabulate.h"

#include <algorithm>
#include <map>
#include <optional>

#include "support/error.h"

namespace tfaot::driver {

namespace {

// tabulate's TableFormat, with the lines that with_header_hide hides already left out (every
// table here has headers).
struct Line {
  std::string begin, fill, sep, end;
};
struct Row {
  std::string begin, sep, end;
};
struct Format {
  std::optional<Line> above, below_header, between_rows, below;
  Row header, data;
  size_t padding = 0;
  bool pipe_colons = false;   // pipe: the header rule marks the alignment with ':'
  bool centered = false;      // pretty: cells centered, no minimum padding beside headers
  std::string first_cell_suffix;  // textile's data rows append a space to the first cell
  // mediawiki and moinmoin build their header row from the column alignments, which tabulate
  // has none of when there are no rows: it then prints only this.
  std::optional<std::string> header_without_rows;
};

Line box(const char* begin, const char* fill, const char* sep, const char* end) {
  return {begin, fill, sep, end};
}
Row bars(const char* b, const char* s, const char* e) { return {b, s, e}; }
using OptLine = std::optional<Line>;
Format make(OptLine above, OptLine below_header, OptLine between_rows, OptLine below, Row header,
            Row data, size_t padding) {
  Format f;
  f.above = above, f.below_header = below_header, f.between_rows = between_rows, f.below = below;
  f.header = header, f.data = data, f.padding = padding;
  return f;
}

// The unicode grids of tabulate 0.9: NAME_grid has rules between rows, NAME_outline not.
void add_grid(std::map<std::string, Format>& m, const std::string& name, Line above, Line header,
              Line between, Line below, const char* bar) {
  Format f = make(above, header, between, below, bars(bar, bar, bar), bars(bar, bar, bar), 1);
  m[name + "_grid"] = f;
  f.between_rows.reset();
  m[name + "_outline"] = f;
}

const std::map<std::string, Format>& formats() {
  static const std::map<std::string, Format> table = [] {
    std::map<std::string, Format> m;
    const Row pipes = bars("|", "|", "|"), spaced = bars("", "  ", "");
    const Line ascii = box("+", "-", "+", "+");
    m["plain"] = make({}, {}, {}, {}, spaced, spaced, 0);
    m["simple"] = make({}, box("", "-", "  ", ""), {}, {}, spaced, spaced, 0);
    m["grid"] = make(ascii, box("+", "=", "+", "+"), ascii, ascii, pipes, pipes, 1);
    m["outline"] = make(ascii, box("+", "=", "+", "+"), {}, ascii, pipes, pipes, 1);
    add_grid(m, "simple", box("┌", "─", "┬", "┐"), box("├", "─", "┼", "┤"), box("├", "─", "┼", "┤"),
             box("└", "─", "┴", "┘"), "│");
    add_grid(m, "rounded", box("╭", "─", "┬", "╮"), box("├", "─", "┼", "┤"), box("├", "─", "┼", "┤"),
             box("╰", "─", "┴", "╯"), "│");
    add_grid(m, "heavy", box("┏", "━", "┳", "┓"), box("┣", "━", "╋", "┫"), box("┣", "━", "╋", "┫"),
             box("┗", "━", "┻", "┛"), "┃");
    add_grid(m, "mixed", box("┍", "━", "┯", "┑"), box("┝", "━", "┿", "┥"), box("├", "─", "┼", "┤"),
             box("┕", "━", "┷", "┙"), "│");
    add_grid(m, "double", box("╔", "═", "╦", "╗"), box("╠", "═", "╬", "╣"), box("╠", "═", "╬", "╣"),
             box("╚", "═", "╩", "╝"), "║");
    add_grid(m, "fancy", box("╒", "═", "╤", "╕"), box("╞", "═", "╪", "╡"), box("├", "─", "┼", "┤"),
             box("╘", "═", "╧", "╛"), "│");
    m["github"] = make({}, box("|", "-", "|", "|"), {}, {}, pipes, pipes, 1);
    m["pipe"] = make({}, Line{}, {}, {}, pipes, pipes, 1);
    m["pipe"].pipe_colons = true;
    m["orgtbl"] = make({}, box("|", "-", "+", "|"), {}, {}, pipes, pipes, 1);
    m["jira"] = make({}, {}, {}, {}, bars("||", "||", "||"), pipes, 1);
    m["presto"] = make({}, box("", "-", "+", ""), {}, {}, bars("", "|", ""), bars("", "|", ""), 1);
    m["pretty"] = make(ascii, ascii, {}, ascii, pipes, pipes, 1);
    m["pretty"].centered = true;
    m["psql"] = make(ascii, box("|", "-", "+", "|"), {}, ascii, pipes, pipes, 1);
    const Line rst = box("", "=", "  ", "");
    m["rst"] = make(rst, rst, {}, rst, spaced, spaced, 0);
    m["tsv"] = make({}, {}, {}, {}, bars("", "\t", ""), bars("", "\t", ""), 0);
    m["youtrack"] = make({}, {}, {}, {}, bars("|| ", " || ", " || "), bars("| ", " | ", " |"), 1);
    m["textile"] = make({}, {}, {}, {}, bars("|_. ", "|_.", "|"), bars("|<.", "|<.", "|"), 1);
    m["textile"].first_cell_suffix = " ";
    const Line wiki_rule = box("|-", "", "", "");
    m["mediawiki"] = make(box("{| class=\"wikitable\" style=\"text-align: left;\"", "", "",
                              "\n|+ <!-- caption -->\n|-"),
                          wiki_rule, wiki_rule, box("|}", "", "", ""), bars("! ", " !! ", " "),
                          bars("| ", " || ", " "), 0);
    m["mediawiki"].header_without_rows = "!";
    m["moinmoin"] = make({}, {}, {}, {}, bars("|| '''", "''' || '''", "''' ||"),
                         bars("|| ", " || ", " ||"), 1);
    m["moinmoin"].header_without_rows = "||";
    return m;
  }();
  return table;
}

std::string rstrip(std::string s) {
  s.erase(s.find_last_not_of(" \t\n\r\f\v") + 1);
  return s;
}

std::string join_row(const Row& r, const std::vector<std::string>& cells) {
  std::string s = r.begin;
  for (size_t i = 0; i < cells.size(); ++i) s += (i ? r.sep : "") + cells[i];
  return rstrip(s + r.end);
}

std::string repeat(const std::string& s, size_t n) {
  std::string out;
  for (size_t i = 0; i < n; ++i) out += s;
  return out;
}

}  // namespace

const std::vector<std::string>& table_formats() {
  static const std::vector<std::string> names = [] {
    std::vector<std::string> v;
    for (const auto& [name, f] : formats()) v.push_back(name);
    return v;
  }();
  return names;
}

void check_table_format(std::string_view name) {
  static const std::vector<std::string_view> other = {
      "asciidoc", "html", "latex", "latex_booktabs", "latex_longtable", "latex_raw", "unsafehtml"};
  if (std::find(other.begin(), other.end(), name) != other.end())
    fail("table format '{}' is not implemented (formats: {})", name,
         fmt::join(table_formats(), ", "));
}

std::string tabulate(const TableRows& rows, const std::vector<std::string>& headers,
                     std::string_view format) {
  check_table_format(format);
  const auto& all = formats();
  auto it = all.find(std::string(format));
  const Format& f = it != all.end() ? it->second : all.at("simple");  // tabulate's fallback
  if (headers.empty()) fail("tabulate: a table needs headers");

  // Column width: the widest cell, at least the header plus tabulate's MIN_PADDING (2).
  const size_t columns = headers.size(), min_padding = f.centered ? 0 : 2;
  std::vector<size_t> width(columns);
  for (size_t c = 0; c < columns; ++c) width[c] = headers[c].size() + min_padding;
  for (const auto& r : rows) {
    if (r.size() != columns) fail("tabulate: a row has {} cells for {} headers", r.size(), columns);
    for (size_t c = 0; c < columns; ++c) width[c] = std::max(width[c], r[c].size());
  }
  // Python's "{:^N}" puts the odd space on the right.
  const std::string pad(f.padding, ' ');
  auto cells = [&](const std::vector<std::string>& r) {
    std::vector<std::string> out;
    for (size_t c = 0; c < columns; ++c) {
      const size_t room = width[c] - r[c].size(), left = f.centered ? room / 2 : 0;
      out.push_back(pad + std::string(left, ' ') + r[c] + std::string(room - left, ' ') + pad);
    }
    return out;
  };
  auto rule = [&](const Line& l) {
    if (f.pipe_colons) {
      // Left-aligned columns: ":---"; without rows tabulate knows no alignment: "----".
      std::string s = "|";
      for (size_t w : width)
        s += (rows.empty() ? "-" : ":") + std::string(w + 2 * f.padding - 1, '-') + "|";
      return s;
    }
    std::vector<std::string> fills;
    for (size_t w : width) fills.push_back(repeat(l.fill, w + 2 * f.padding));
    return join_row({l.begin, l.sep, l.end}, fills);
  };

  std::vector<std::string> lines;
  if (f.above) lines.push_back(rule(*f.above));
  lines.push_back(rows.empty() && f.header_without_rows ? *f.header_without_rows
                                                        : join_row(f.header, cells(headers)));
  if (f.below_header) lines.push_back(rule(*f.below_header));
  for (size_t i = 0; i < rows.size(); ++i) {
    if (i > 0 && f.between_rows) lines.push_back(rule(*f.between_rows));
    auto padded = cells(rows[i]);
    padded[0] += f.first_cell_suffix;
    lines.push_back(join_row(f.data, padded));
  }
  if (f.below) lines.push_back(rule(*f.below));
  std::string out;
  for (size_t i = 0; i < lines.size(); ++i) out += (i ? "\n" : "") + lines[i];
  return out;
}

}  // namespace tfaot::driver
