// Text tables laid out exactly as Python's tabulate prints them (tabulate.tabulate(rows,
// headers=..., tablefmt=...), versions 0.8.9 and 0.9.0 give the same output for these formats),
// so that cmsml_check_aot_compatibility prints what cmsml prints and tfaot-check's tables look
// the same. Only what the op tables need: every cell is text (tabulate would right-align
// numbers; op names and yes/NO are never numbers), one line per cell, ASCII widths.
#pragma once

#include <string>
#include <string_view>
#include <vector>

namespace tfaot::driver {

using TableRows = std::vector<std::vector<std::string>>;

// The tablefmt names this implementation lays out, in tabulate's (alphabetical) order.
const std::vector<std::string>& table_formats();

// Throws Error when `name` is one of tabulate's own formats that table_formats() lacks (html,
// latex, asciidoc): tabulate would print those, so falling back to "simple" would be wrong. Any
// other name is fine: tabulate lays out a name it does not know as "simple".
void check_table_format(std::string_view name);

// tabulate.tabulate(rows, headers=headers, tablefmt=format) without a trailing newline; the
// format as check_table_format() accepts it. Every row must have headers.size() cells.
std::string tabulate(const TableRows& rows, const std::vector<std::string>& headers,
                     std::string_view format = "grid");

}  // namespace tfaot::driver
