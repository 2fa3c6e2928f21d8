// Which ops of a model tfaot can compile: the analysis behind tfaot-check and
// cmsml_check_aot_compatibility, and the op tables both print.
#pragma once

#include <map>
#include <string>
#include <vector>

#include "driver/tabulate.h"
#include "frontend/loader.h"
#include "ir/graph.h"

namespace tfaot::driver {

struct OpCheck {
  // Op types of the serving function as loaded (function calls inlined; loop bodies and
  // branches included) in the order of their first node, without the trivial Placeholder and
  // NoOp (cmsml skips them too).
  std::vector<std::string> used;
  // The op types tfaot cannot compile for this model, each with the nodes using it
  // ("loop/node" inside a loop body or branch). Decided after the rewrites tfaot-compile makes
  // before it rejects ops, so the verdict is tfaot-compile's: a branch of a pinned conditional,
  // a sparse round trip or a fused TextVectorization chain does not count.
  std::map<std::string, std::vector<std::string>> unsupported;

  bool supported(const std::string& op) const { return !unsupported.count(op); }
};

// Analyses `graph` (as load_model returns it; the rewrites change it).
OpCheck check_ops(ir::Graph& graph);
// Loads the model of `options` and analyses it; loading errors name the file.
OpCheck check_model_ops(const frontend::LoadOptions& options);

// The table rows of the used op types sorted by name (the order of cmsml's op table): the op
// and "yes" or "NO" (the cpu column).
TableRows op_rows(const OpCheck& check);
// Every op tfaot compiles (its op table, sorted by name) with "yes".
TableRows supported_op_rows();

}  // namespace tfaot::driver
