// Graph passes. Each pass is a small class with a name and a run() that reports whether it
// changed the graph; its header states the invariant it establishes, and its test sits beside
// it (NAME_test.cc) on a tiny hand-built graph.
#pragma once

#include <memory>
#include <string_view>
#include <vector>

#include "ir/graph.h"

namespace tfaot::passes {

class Pass {
 public:
  virtual ~Pass() = default;
  virtual std::string_view name() const = 0;
  // Returns true if the graph changed.
  virtual bool run(ir::Graph& graph) = 0;
};

// Runs passes in order, repeating the whole list until none changes the graph (at most
// `max_rounds` rounds). Returns true if anything changed.
bool run_to_fixpoint(ir::Graph& graph, const std::vector<std::unique_ptr<Pass>>& passes,
                     int max_rounds = 16);

}  // namespace tfaot::passes
