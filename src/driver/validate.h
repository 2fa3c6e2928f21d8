// tfaot-validate: proves, per model, that the generated code computes what TensorFlow
// computes. Golden mode runs every case of a golden.json through the generated code (compiled
// and loaded in-process by backend::run_generated) and compares; reference mode compares the
// generated code with the reference interpreter on random inputs; trace mode finds the first
// node whose generated output differs from the interpreter's.
#pragma once

#include <filesystem>
#include <map>
#include <optional>
#include <ostream>
#include <string>
#include <vector>

#include "driver/golden.h"
#include "frontend/loader.h"

namespace tfaot::driver {

struct ValidateOptions {
  frontend::LoadOptions load;
  std::map<std::string, Shape> input_shapes;  // -1 = batch
  std::vector<int64_t> batch_sizes;           // reference mode (golden mode: the cases')
  std::string target = "native";  // one target, or several (x86-64 run-time dispatch)
  std::string cxx;
  // Command prefixes to run the generated code under (e.g. "qemu-aarch64"): then it is built
  // into a static program and every case is checked under each runner (backend/jit.h).
  std::vector<std::string> runners;
  Tolerance tolerance;
  bool trace = false;      // on a failure, report the first diverging node
  bool reference = false;  // compare with the interpreter on random inputs
  uint64_t seed = 1;
};

struct OutputResult {
  int64_t batch_size = 0;
  std::string key;
  std::string runner;  // empty: in-process or run directly
  Comparison comparison;
};

struct ValidateReport {
  std::vector<OutputResult> results;
  std::vector<std::string> traces;  // "batch 2: first divergence at node 'x' (Tanh) ..."
  int passed() const;
  int failed() const;
};

// Options from golden.json alone (for a corpus model directory without a config): frozen
// graphs feed and fetch the golden's tensor names, pin its `generator.constants` and use its
// `input_shapes`.
ValidateOptions options_from_golden(const std::filesystem::path& model_path,
                                    const std::filesystem::path& golden_path);

ValidateReport validate_golden(const ValidateOptions& options, const Golden& golden,
                               std::ostream* log);
ValidateReport validate_reference(const ValidateOptions& options, std::ostream* log);

}  // namespace tfaot::driver
