// What tfaot-inspect shows about the optimized graph of one batch size: per-op-type FLOPs,
// weight and scratch bytes (from the emitter's memory plan), a roofline time estimate for this
// machine, and a Graphviz rendering of the graph.
#pragma once

#include <map>
#include <memory>
#include <string>
#include <utility>
#include <vector>

#include <nlohmann/json.hpp>

#include "backend/emitter.h"
#include "ir/graph.h"

namespace tfaot::driver {

// The graph tfaot-compile would emit for `batch_size` (specialized, folded, fused) and what
// the emitter reports about it.
struct OptimizedModel {
  std::unique_ptr<ir::Graph> graph;
  backend::UnitInfo info;
};
OptimizedModel optimize_for_inspection(const ir::Graph& loaded, int64_t batch_size,
                                       const std::map<std::string, Shape>& input_shapes);

// The machine's limits for the roofline: fp32 FMA peak and read bandwidth by working-set size.
struct Machine {
  double peak_gflops = 0;
  std::vector<std::pair<uint64_t, double>> bandwidth_gbs;  // working set bytes -> GB/s, ascending
  std::string source;                                      // where the numbers come from
  // Bandwidth for a working set of `bytes`: the first level that holds it (else the last).
  double bandwidth_for(uint64_t bytes) const;
};
// A quick measurement in this process (~0.2 s): FMA throughput with the widest vectors the
// CPU has (AVX-512, AVX2 or scalar) and sum-reduction bandwidth over 16 KiB ... 256 MiB.
Machine measure_machine();
// The roofline probe of ../shared/bench (results/roofline-DATE.csv: fma_*_gflops, read_gbs_*KiB).
Machine read_roofline_csv(const std::string& path);

// Per op type: count, FLOPs, weight bytes, scratch bytes, estimated ns (roofline per node:
// max(FLOPs / peak, bytes touched / bandwidth)); plus totals and the planned scratch size.
nlohmann::json summary(const OptimizedModel& m, const Machine& machine);
std::string summary_text(const nlohmann::json& summary);

// Graphviz of the optimized graph: one box per node with op, name, output shapes and FLOPs;
// inputs and outputs as ellipses; constants folded into their consumers' labels.
std::string graph_dot(const OptimizedModel& m);

}  // namespace tfaot::driver
