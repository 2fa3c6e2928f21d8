// Golden files ("tf-oracle-golden-v1", see ../shared/models/GOLDEN.md): reference inputs and
// outputs per batch size, and the comparison tfaot-validate and the corpus tests use.
#pragma once

#include <filesystem>
#include <map>
#include <string>
#include <vector>

#include "support/tensor.h"

namespace tfaot::driver {

struct GoldenCase {
  int64_t batch_size = 0;
  std::map<std::string, Tensor> inputs;   // by key (signature key or tensor name)
  std::map<std::string, Tensor> outputs;
};

struct Golden {
  std::string model_name;
  std::string signature;
  std::string format;                               // "savedmodel" or "frozen_graph"
  std::vector<std::string> input_keys, output_keys;  // as listed in the file
  std::map<std::string, std::vector<std::string>> input_shapes;  // "B" or a number per dim
  std::map<std::string, std::string> tensor_names;               // key -> tensor name
  std::vector<GoldenCase> cases;
};

Golden read_golden(const std::filesystem::path& path);

struct Tolerance {
  double atol = 1e-5;
  double rtol = 1e-4;
};

// Comparison of one output: max errors and whether all elements are within tolerance
// (|a - e| <= atol + rtol*|e| for floats; exact for ints and bools; NaN matches NaN).
struct Comparison {
  bool pass = true;
  double max_abs = 0, max_rel = 0;
  int64_t mismatches = 0;
  int64_t first_mismatch = -1;
  std::string message;  // why it failed (shape/dtype) or empty
};
Comparison compare(const Tensor& actual, const Tensor& expected, const Tolerance& tol);

}  // namespace tfaot::driver
