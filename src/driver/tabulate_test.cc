// tabulate() against Python's tabulate: every expected string below is what
//   tabulate.tabulate(rows, headers=headers, tablefmt=format)
// printed, with Debian 12's python3-tabulate 0.8.9 and with tabulate 0.9.0 (cmsml's pip
// dependency; identical for the formats 0.8.9 has, and the only source for 0.9.0's box-drawing
// grid/outline formats). An unknown format is laid out as "simple", as tabulate does.
#include "driver/tabulate.h"

#include <gtest/gtest.h>

#include <set>

#include "support/error.h"

namespace tfaot::driver {
namespace {

struct Table {
  std::vector<std::string> headers;
  TableRows rows;
};
const Table kTwoRows{{"Operation", "cpu"}, {{"Add", "yes"}, {"MatrixDeterminant", "NO"}}};
const Table kNoRows{{"Operation", "cpu"}, {}};
// Cells narrower than header + 2: the header's width decides.
const Table kNarrow{{"Operation", "cpu"}, {{"A", "yes"}, {"Relu", "NO"}, {"Tanh", "yes"}}};
const Table kThreeColumns{{"Op", "cpu", "gpu"},
                          {{"BiasAdd", "yes", "not on this device"}, {"MatMul", "NO", "x"}}};

struct Case {
  const Table& table;
  const char* format;
  const char* expected;
};

const Case kCases[] = {
    {kTwoRows, "double_grid",
       "╔═══════════════════╦═══════╗\n"
       "║ Operation         ║ cpu   ║\n"
       "╠═══════════════════╬═══════╣\n"
       "║ Add               ║ yes   ║\n"
       "╠═══════════════════╬═══════╣\n"
       "║ MatrixDeterminant ║ NO    ║\n"
       "╚═══════════════════╩═══════╝"},
    {kTwoRows, "double_outline",
       "╔═══════════════════╦═══════╗\n"
       "║ Operation         ║ cpu   ║\n"
       "╠═══════════════════╬═══════╣\n"
       "║ Add               ║ yes   ║\n"
       "║ MatrixDeterminant ║ NO    ║\n"
       "╚═══════════════════╩═══════╝"},
    {kTwoRows, "fancy_grid",
       "╒═══════════════════╤═══════╕\n"
       "│ Operation         │ cpu   │\n"
       "╞═══════════════════╪═══════╡\n"
       "│ Add               │ yes   │\n"
       "├───────────────────┼───────┤\n"
       "│ MatrixDeterminant │ NO    │\n"
       "╘═══════════════════╧═══════╛"},
    {kTwoRows, "fancy_outline",
       "╒═══════════════════╤═══════╕\n"
       "│ Operation         │ cpu   │\n"
       "╞═══════════════════╪═══════╡\n"
       "│ Add               │ yes   │\n"
       "│ MatrixDeterminant │ NO    │\n"
       "╘═══════════════════╧═══════╛"},
    {kTwoRows, "github",
       "| Operation         | cpu   |\n"
       "|-------------------|-------|\n"
       "| Add               | yes   |\n"
       "| MatrixDeterminant | NO    |"},
    {kTwoRows, "grid",
       "+-------------------+-------+\n"
       "| Operation         | cpu   |\n"
       "+===================+=======+\n"
       "| Add               | yes   |\n"
       "+-------------------+-------+\n"
       "| MatrixDeterminant | NO    |\n"
       "+-------------------+-------+"},
    {kTwoRows, "heavy_grid",
       "┏━━━━━━━━━━━━━━━━━━━┳━━━━━━━┓\n"
       "┃ Operation         ┃ cpu   ┃\n"
       "┣━━━━━━━━━━━━━━━━━━━╋━━━━━━━┫\n"
       "┃ Add               ┃ yes   ┃\n"
       "┣━━━━━━━━━━━━━━━━━━━╋━━━━━━━┫\n"
       "┃ MatrixDeterminant ┃ NO    ┃\n"
       "┗━━━━━━━━━━━━━━━━━━━┻━━━━━━━┛"},
    {kTwoRows, "heavy_outline",
       "┏━━━━━━━━━━━━━━━━━━━┳━━━━━━━┓\n"
       "┃ Operation         ┃ cpu   ┃\n"
       "┣━━━━━━━━━━━━━━━━━━━╋━━━━━━━┫\n"
       "┃ Add               ┃ yes   ┃\n"
       "┃ MatrixDeterminant ┃ NO    ┃\n"
       "┗━━━━━━━━━━━━━━━━━━━┻━━━━━━━┛"},
    {kTwoRows, "jira",
       "|| Operation         || cpu   ||\n"
       "| Add               | yes   |\n"
       "| MatrixDeterminant | NO    |"},
    {kTwoRows, "mediawiki",
       "{| class=\"wikitable\" style=\"text-align: left;\"\n"
       "|+ <!-- caption -->\n"
       "|-\n"
       "! Operation         !! cpu\n"
       "|-\n"
       "| Add               || yes\n"
       "|-\n"
       "| MatrixDeterminant || NO\n"
       "|}"},
    {kTwoRows, "mixed_grid",
       "┍━━━━━━━━━━━━━━━━━━━┯━━━━━━━┑\n"
       "│ Operation         │ cpu   │\n"
       "┝━━━━━━━━━━━━━━━━━━━┿━━━━━━━┥\n"
       "│ Add               │ yes   │\n"
       "├───────────────────┼───────┤\n"
       "│ MatrixDeterminant │ NO    │\n"
       "┕━━━━━━━━━━━━━━━━━━━┷━━━━━━━┙"},
    {kTwoRows, "mixed_outline",
       "┍━━━━━━━━━━━━━━━━━━━┯━━━━━━━┑\n"
       "│ Operation         │ cpu   │\n"
       "┝━━━━━━━━━━━━━━━━━━━┿━━━━━━━┥\n"
       "│ Add               │ yes   │\n"
       "│ MatrixDeterminant │ NO    │\n"
       "┕━━━━━━━━━━━━━━━━━━━┷━━━━━━━┙"},
    {kTwoRows, "moinmoin",
       "|| ''' Operation         ''' || ''' cpu   ''' ||\n"
       "||  Add                ||  yes    ||\n"
       "||  MatrixDeterminant  ||  NO     ||"},
    {kTwoRows, "orgtbl",
       "| Operation         | cpu   |\n"
       "|-------------------+-------|\n"
       "| Add               | yes   |\n"
       "| MatrixDeterminant | NO    |"},
    {kTwoRows, "outline",
       "+-------------------+-------+\n"
       "| Operation         | cpu   |\n"
       "+===================+=======+\n"
       "| Add               | yes   |\n"
       "| MatrixDeterminant | NO    |\n"
       "+-------------------+-------+"},
    {kTwoRows, "pipe",
       "| Operation         | cpu   |\n"
       "|:------------------|:------|\n"
       "| Add               | yes   |\n"
       "| MatrixDeterminant | NO    |"},
    {kTwoRows, "plain",
       "Operation          cpu\n"
       "Add                yes\n"
       "MatrixDeterminant  NO"},
    {kTwoRows, "presto",
       " Operation         | cpu\n"
       "-------------------+-------\n"
       " Add               | yes\n"
       " MatrixDeterminant | NO"},
    {kTwoRows, "pretty",
       "+-------------------+-----+\n"
       "|     Operation     | cpu |\n"
       "+-------------------+-----+\n"
       "|        Add        | yes |\n"
       "| MatrixDeterminant | NO  |\n"
       "+-------------------+-----+"},
    {kTwoRows, "psql",
       "+-------------------+-------+\n"
       "| Operation         | cpu   |\n"
       "|-------------------+-------|\n"
       "| Add               | yes   |\n"
       "| MatrixDeterminant | NO    |\n"
       "+-------------------+-------+"},
    {kTwoRows, "rounded_grid",
       "╭───────────────────┬───────╮\n"
       "│ Operation         │ cpu   │\n"
       "├───────────────────┼───────┤\n"
       "│ Add               │ yes   │\n"
       "├───────────────────┼───────┤\n"
       "│ MatrixDeterminant │ NO    │\n"
       "╰───────────────────┴───────╯"},
    {kTwoRows, "rounded_outline",
       "╭───────────────────┬───────╮\n"
       "│ Operation         │ cpu   │\n"
       "├───────────────────┼───────┤\n"
       "│ Add               │ yes   │\n"
       "│ MatrixDeterminant │ NO    │\n"
       "╰───────────────────┴───────╯"},
    {kTwoRows, "rst",
       "=================  =====\n"
       "Operation          cpu\n"
       "=================  =====\n"
       "Add                yes\n"
       "MatrixDeterminant  NO\n"
       "=================  ====="},
    {kTwoRows, "simple",
       "Operation          cpu\n"
       "-----------------  -----\n"
       "Add                yes\n"
       "MatrixDeterminant  NO"},
    {kTwoRows, "simple_grid",
       "┌───────────────────┬───────┐\n"
       "│ Operation         │ cpu   │\n"
       "├───────────────────┼───────┤\n"
       "│ Add               │ yes   │\n"
       "├───────────────────┼───────┤\n"
       "│ MatrixDeterminant │ NO    │\n"
       "└───────────────────┴───────┘"},
    {kTwoRows, "simple_outline",
       "┌───────────────────┬───────┐\n"
       "│ Operation         │ cpu   │\n"
       "├───────────────────┼───────┤\n"
       "│ Add               │ yes   │\n"
       "│ MatrixDeterminant │ NO    │\n"
       "└───────────────────┴───────┘"},
    {kTwoRows, "textile",
       "|_.  Operation         |_. cpu   |\n"
       "|<. Add                |<. yes   |\n"
       "|<. MatrixDeterminant  |<. NO    |"},
    {kTwoRows, "tsv",
       "Operation        \tcpu\n"
       "Add              \tyes\n"
       "MatrixDeterminant\tNO"},
    {kTwoRows, "youtrack",
       "||  Operation          ||  cpu    ||\n"
       "|  Add                |  yes    |\n"
       "|  MatrixDeterminant  |  NO     |"},
    {kTwoRows, "no_such_format",
       "Operation          cpu\n"
       "-----------------  -----\n"
       "Add                yes\n"
       "MatrixDeterminant  NO"},
    {kNoRows, "grid",
       "+-------------+-------+\n"
       "| Operation   | cpu   |\n"
       "+=============+=======+\n"
       "+-------------+-------+"},
    {kNoRows, "simple",
       "Operation    cpu\n"
       "-----------  -----"},
    {kNoRows, "github",
       "| Operation   | cpu   |\n"
       "|-------------|-------|"},
    {kNoRows, "pipe",
       "| Operation   | cpu   |\n"
       "|-------------|-------|"},
    {kNoRows, "plain",
       "Operation    cpu"},
    {kNoRows, "pretty",
       "+-----------+-----+\n"
       "| Operation | cpu |\n"
       "+-----------+-----+\n"
       "+-----------+-----+"},
    {kNoRows, "psql",
       "+-------------+-------+\n"
       "| Operation   | cpu   |\n"
       "|-------------+-------|\n"
       "+-------------+-------+"},
    {kNoRows, "rst",
       "===========  =====\n"
       "Operation    cpu\n"
       "===========  =====\n"
       "===========  ====="},
    {kNoRows, "mediawiki",
       "{| class=\"wikitable\" style=\"text-align: left;\"\n"
       "|+ <!-- caption -->\n"
       "|-\n"
       "!\n"
       "|-\n"
       "|}"},
    {kNoRows, "moinmoin",
       "||"},
    {kNoRows, "textile",
       "|_.  Operation   |_. cpu   |"},
    {kNoRows, "fancy_grid",
       "╒═════════════╤═══════╕\n"
       "│ Operation   │ cpu   │\n"
       "╞═════════════╪═══════╡\n"
       "╘═════════════╧═══════╛"},
    {kNarrow, "grid",
       "+-------------+-------+\n"
       "| Operation   | cpu   |\n"
       "+=============+=======+\n"
       "| A           | yes   |\n"
       "+-------------+-------+\n"
       "| Relu        | NO    |\n"
       "+-------------+-------+\n"
       "| Tanh        | yes   |\n"
       "+-------------+-------+"},
    {kNarrow, "simple",
       "Operation    cpu\n"
       "-----------  -----\n"
       "A            yes\n"
       "Relu         NO\n"
       "Tanh         yes"},
    {kNarrow, "github",
       "| Operation   | cpu   |\n"
       "|-------------|-------|\n"
       "| A           | yes   |\n"
       "| Relu        | NO    |\n"
       "| Tanh        | yes   |"},
    {kNarrow, "plain",
       "Operation    cpu\n"
       "A            yes\n"
       "Relu         NO\n"
       "Tanh         yes"},
    {kNarrow, "pretty",
       "+-----------+-----+\n"
       "| Operation | cpu |\n"
       "+-----------+-----+\n"
       "|     A     | yes |\n"
       "|   Relu    | NO  |\n"
       "|   Tanh    | yes |\n"
       "+-----------+-----+"},
    {kNarrow, "tsv",
       "Operation  \tcpu\n"
       "A          \tyes\n"
       "Relu       \tNO\n"
       "Tanh       \tyes"},
    {kNarrow, "presto",
       " Operation   | cpu\n"
       "-------------+-------\n"
       " A           | yes\n"
       " Relu        | NO\n"
       " Tanh        | yes"},
    {kNarrow, "rst",
       "===========  =====\n"
       "Operation    cpu\n"
       "===========  =====\n"
       "A            yes\n"
       "Relu         NO\n"
       "Tanh         yes\n"
       "===========  ====="},
    {kThreeColumns, "grid",
       "+---------+-------+--------------------+\n"
       "| Op      | cpu   | gpu                |\n"
       "+=========+=======+====================+\n"
       "| BiasAdd | yes   | not on this device |\n"
       "+---------+-------+--------------------+\n"
       "| MatMul  | NO    | x                  |\n"
       "+---------+-------+--------------------+"},
    {kThreeColumns, "simple",
       "Op       cpu    gpu\n"
       "-------  -----  ------------------\n"
       "BiasAdd  yes    not on this device\n"
       "MatMul   NO     x"},
    {kThreeColumns, "github",
       "| Op      | cpu   | gpu                |\n"
       "|---------|-------|--------------------|\n"
       "| BiasAdd | yes   | not on this device |\n"
       "| MatMul  | NO    | x                  |"},
    {kThreeColumns, "pipe",
       "| Op      | cpu   | gpu                |\n"
       "|:--------|:------|:-------------------|\n"
       "| BiasAdd | yes   | not on this device |\n"
       "| MatMul  | NO    | x                  |"},
    {kThreeColumns, "pretty",
       "+---------+-----+--------------------+\n"
       "|   Op    | cpu |        gpu         |\n"
       "+---------+-----+--------------------+\n"
       "| BiasAdd | yes | not on this device |\n"
       "| MatMul  | NO  |         x          |\n"
       "+---------+-----+--------------------+"},
    {kThreeColumns, "textile",
       "|_.  Op      |_. cpu   |_. gpu                |\n"
       "|<. BiasAdd  |<. yes   |<. not on this device |\n"
       "|<. MatMul   |<. NO    |<. x                  |"},
    {kThreeColumns, "youtrack",
       "||  Op       ||  cpu    ||  gpu                 ||\n"
       "|  BiasAdd  |  yes    |  not on this device  |\n"
       "|  MatMul   |  NO     |  x                   |"},
    {kThreeColumns, "jira",
       "|| Op      || cpu   || gpu                ||\n"
       "| BiasAdd | yes   | not on this device |\n"
       "| MatMul  | NO    | x                  |"},
    {kThreeColumns, "mediawiki",
       "{| class=\"wikitable\" style=\"text-align: left;\"\n"
       "|+ <!-- caption -->\n"
       "|-\n"
       "! Op      !! cpu   !! gpu\n"
       "|-\n"
       "| BiasAdd || yes   || not on this device\n"
       "|-\n"
       "| MatMul  || NO    || x\n"
       "|}"},
    {kThreeColumns, "orgtbl",
       "| Op      | cpu   | gpu                |\n"
       "|---------+-------+--------------------|\n"
       "| BiasAdd | yes   | not on this device |\n"
       "| MatMul  | NO    | x                  |"},
};

TEST(Tabulate, MatchesPythonTabulate) {
  for (const auto& c : kCases)
    EXPECT_EQ(tabulate(c.table.rows, c.table.headers, c.format), c.expected)
        << "format " << c.format << ", headers " << c.table.headers[0] << ", " << c.table.rows.size()
        << " rows";
}

TEST(Tabulate, EveryFormatIsCoveredAndGridIsTheDefault) {
  std::set<std::string> tested;
  for (const auto& c : kCases)
    if (&c.table == &kTwoRows) tested.insert(c.format);
  for (const auto& f : table_formats())
    EXPECT_TRUE(tested.count(f)) << "format " << f << " has no reference";
  EXPECT_EQ(tabulate(kTwoRows.rows, kTwoRows.headers),
            tabulate(kTwoRows.rows, kTwoRows.headers, "grid"));
}

TEST(Tabulate, UnimplementedTabulateFormatsAreErrorsNotFallbacks) {
  for (const char* f : {"html", "unsafehtml", "latex", "latex_raw", "latex_booktabs",
                        "latex_longtable", "asciidoc"}) {
    EXPECT_THROW(check_table_format(f), Error) << f;
    EXPECT_THROW(tabulate(kTwoRows.rows, kTwoRows.headers, f), Error) << f;
  }
  EXPECT_NO_THROW(check_table_format("no_such_format"));
  EXPECT_NO_THROW(check_table_format("github"));
}

TEST(Tabulate, RowsMustMatchTheHeaders) {
  EXPECT_THROW(tabulate({{"Add"}}, {"Operation", "cpu"}), Error);
  EXPECT_THROW(tabulate({}, {}), Error);
}

}  // namespace
}  // namespace tfaot::driver
