#include "support/limits.h"

#include <atomic>
#include <charconv>

namespace tfaot {
namespace {

struct LimitInfo {
  std::string_view name;
  int64_t default_value;
  std::string_view unit;
  std::string_view help;
};

// Defaults: a few orders of magnitude above the largest models tfaot targets, low enough that
// reaching one cannot exhaust a worker node's memory or run for hours.
constexpr LimitInfo kInfo[kNumLimits] = {
    {"tensor-bytes", int64_t{1} << 30, "bytes",
     "bytes of one tensor: constant, checkpoint entry or node output"},
    {"weight-bytes", int64_t{4} << 30, "bytes", "bytes of all weights of the model together"},
    {"loop-iterations", 10'000'000, "iterations",
     "iterations of a loop evaluated at compile time (constant folding, reference)"},
    {"batch-sizes", 64, "batch sizes", "number of batch sizes compiled"},
    {"graph-nodes", 1'000'000, "nodes", "nodes of the graph after function inlining"},
};

// Atomics: set once by the CLI, but read from compile worker threads.
std::atomic<int64_t> g_values[kNumLimits] = {
    kInfo[0].default_value, kInfo[1].default_value, kInfo[2].default_value,
    kInfo[3].default_value, kInfo[4].default_value};

const LimitInfo& info(Limit which) { return kInfo[static_cast<int>(which)]; }

}  // namespace

int64_t limit(Limit which) { return g_values[static_cast<int>(which)].load(std::memory_order_relaxed); }

std::string_view limit_name(Limit which) { return info(which).name; }

std::pair<Limit, int64_t> parse_limit(std::string_view spec) {
  const auto eq = spec.find('=');
  const std::string_view name = spec.substr(0, eq);
  int index = -1;
  for (int i = 0; i < kNumLimits; ++i)
    if (kInfo[i].name == name) index = i;
  if (index < 0 || eq == std::string_view::npos) {
    std::string names;
    for (const auto& i : kInfo) names += (names.empty() ? "" : ", ") + std::string(i.name);
    fail("--limit '{}': expected NAME=VALUE with NAME one of {}", spec, names);
  }
  std::string_view v = spec.substr(eq + 1);
  int shift = 0;
  if (!v.empty()) {
    switch (v.back()) {
      case 'K': case 'k': shift = 10; break;
      case 'M': case 'm': shift = 20; break;
      case 'G': case 'g': shift = 30; break;
    }
    if (shift) v.remove_suffix(1);
  }
  int64_t value = 0;
  auto r = std::from_chars(v.data(), v.data() + v.size(), value);
  if (r.ec != std::errc() || r.ptr != v.data() + v.size() || value < 1 ||
      value > (INT64_MAX >> shift))
    fail("--limit '{}': the value must be a positive integer (optionally with suffix K, M or G)",
         spec);
  return {static_cast<Limit>(index), value << shift};
}

void set_limit(Limit which, int64_t value) { g_values[static_cast<int>(which)] = value; }

std::string limits_help() {
  std::string out;
  for (const auto& i : kInfo)
    out += fmt::format("  {} (default {}): {}\n", i.name, i.default_value, i.help);
  return out;
}

void check_limit(Limit which, int64_t value, std::string_view what) {
  const int64_t max = limit(which);
  if (value <= max) return;
  const LimitInfo& i = info(which);
  const std::string amount =
      value == INT64_MAX ? fmt::format("more than 2^63 {}", i.unit) : fmt::format("{} {}", value, i.unit);
  fail("{} is {}, more than the limit {}={} (raise it with --limit {}=N if this is intended)", what,
       amount, i.name, max, i.name);
}

std::optional<int64_t> checked_mul(int64_t a, int64_t b) {
  int64_t r;
  if (a < 0 || b < 0 || __builtin_mul_overflow(a, b, &r)) return std::nullopt;
  return r;
}

std::optional<int64_t> checked_bytes(const Shape& shape, size_t element_size) {
  for (int64_t d : shape)
    if (d == 0) return 0;  // empty, however large the other dims
  std::optional<int64_t> n = static_cast<int64_t>(element_size);
  for (int64_t d : shape) {
    n = checked_mul(*n, d);
    if (!n) return n;
  }
  return n;
}

int64_t saturated_bytes(const Shape& shape, size_t element_size) {
  return checked_bytes(shape, element_size).value_or(INT64_MAX);
}

ScopedLimit::ScopedLimit(Limit which, int64_t value) : which_(which), saved_(limit(which)) {
  set_limit(which, value);
}
ScopedLimit::~ScopedLimit() { set_limit(which_, saved_); }

}  // namespace tfaot
