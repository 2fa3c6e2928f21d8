// Resource limits: the sizes a model, checkpoint or config may claim before tfaot refuses to
// allocate or emit them. A file can declare anything (a [1e9,1e9] input, a 10^12-byte
// checkpoint entry, a loop of 10^10 iterations, 10^6 batch sizes); every such claim is checked
// with overflow-safe arithmetic against one of these limits first. Defaults are far above what
// real models need and can be raised per run (`--limit NAME=VALUE` of tfaot-compile,
// tfaot-validate and tfaot-check; see docs/limits.md).
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <utility>

#include "support/tensor.h"

namespace tfaot {

enum class Limit {
  TensorBytes,     // "tensor-bytes": one tensor (constant, checkpoint entry, node output)
  WeightBytes,     // "weight-bytes": all weights of a model together
  LoopIterations,  // "loop-iterations": iterations of a loop evaluated at compile time
  BatchSizes,      // "batch-sizes": number of batch sizes compiled
  GraphNodes,      // "graph-nodes": nodes of the graph after function inlining
};
inline constexpr int kNumLimits = 5;

// Current value (process-wide; set once by the CLI before any work starts).
int64_t limit(Limit which);
std::string_view limit_name(Limit which);
// "NAME=VALUE" (VALUE a positive integer, optionally with suffix K, M or G = 2^10, 2^20, 2^30).
// Throws Error naming the spec on an unknown name or a bad value.
std::pair<Limit, int64_t> parse_limit(std::string_view spec);
void set_limit(Limit which, int64_t value);
// One line per limit: "  NAME (default D): what it bounds" (for --help and docs).
std::string limits_help();

// Throws Error "WHAT is VALUE UNIT, more than the limit NAME=L (raise it with --limit
// NAME=N)" if value > limit(which). `value` INT64_MAX stands for an overflowing amount.
void check_limit(Limit which, int64_t value, std::string_view what);

// Overflow-safe products: nullopt when the result does not fit int64 (or a dim is negative).
std::optional<int64_t> checked_mul(int64_t a, int64_t b);
std::optional<int64_t> checked_bytes(const Shape& shape, size_t element_size);
// checked_bytes, saturated at INT64_MAX (which check_limit reports as an overflow).
int64_t saturated_bytes(const Shape& shape, size_t element_size);

// Sets a limit for the lifetime of the object (tests, fuzz targets), restoring it afterwards.
class ScopedLimit {
 public:
  ScopedLimit(Limit which, int64_t value);
  ~ScopedLimit();
  ScopedLimit(const ScopedLimit&) = delete;
  ScopedLimit& operator=(const ScopedLimit&) = delete;

 private:
  Limit which_;
  int64_t saved_;
};

}  // namespace tfaot
