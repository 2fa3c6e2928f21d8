// Measuring a compiled model package for tfaot-tune: a small timing program, generated and
// built with the system compiler against the package's objects and tfaot's runtime headers,
// evaluates batch rules through the real tfaot::Model::runFlat (so stitching and padding
// copies are measured as users pay them) and reports robust statistics per rule: the median
// and p10/p90 of per-call times over blocks, the blocks of all rules interleaved round-robin.
#pragma once

#include <filesystem>
#include <map>
#include <string>
#include <vector>

#include "backend/toolchain.h"
#include "driver/batch_tuning.h"

namespace tfaot::driver {

struct Timing {
  double median_ns = 0;  // per call of the whole batch
  double p10_ns = 0, p90_ns = 0;
  int blocks = 0;        // timed blocks (each of several calls)
};

struct MeasureOptions {
  int blocks = 21;              // timed blocks per rule; statistics are over blocks
  double min_block_us = 200;    // calls per block grow until a block takes this long
};

// The directory with tfaot/Model.h: $TFAOT_RUNTIME_INCLUDE, else <exe>/../include (installed
// tools), else the source tree's runtime/include. Throws if none has it.
std::filesystem::path runtime_include_dir();

class TimingHarness {
 public:
  // Builds the timing program for the package in `package_dir` (tfaot-compile's output) of
  // model class `class_name` (NS::NAME) in `work_dir`.
  TimingHarness(const std::filesystem::path& package_dir, const std::string& tool_name,
                const std::string& class_name, const backend::ToolchainOptions& toolchain,
                const std::filesystem::path& work_dir);

  // True if the package has a dynamic-batch entry (model.h's has_dynamic_batch).
  bool has_dynamic() const;

  // Times every rule (BatchRule strings, or "dyn B": batch B through the dynamic-batch entry);
  // results in the same order.
  std::vector<Timing> measure(const std::vector<std::string>& rules, const MeasureOptions& options) const;

 private:
  std::filesystem::path exe_, work_dir_;
};

// Call costs of every compiled size ("s:s"), the padding cost of every size >= 2
// ("s-1:s" minus "s:s") and the per-chunk overhead ("2s:s,s" minus twice "s:s" for the
// smallest size); negative differences (noise) count as 0. `raw` receives every timing.
ChunkCosts measure_chunk_costs(const TimingHarness& harness, const std::vector<int64_t>& sizes,
                               const MeasureOptions& options, std::map<std::string, Timing>* raw);

}  // namespace tfaot::driver
