// Hand-written models that follow the model.h contract of docs/generated-code.md, so the
// runtime is tested without the compiler. Each records its calls (batch size and which entries
// had all-zero inputs, i.e. padding) in a fixed-size log that never allocates, and checks the
// scratch pointer it receives (size > 0 => non-null and 64-byte aligned).
#pragma once

#include <array>
#include <cstddef>
#include <cstdint>
#include <cstring>
#include <tuple>
#include <vector>

namespace fake {

struct CallLog {
  static constexpr std::size_t kMax = 256;
  std::size_t n = 0;
  std::size_t sizes[kMax] = {};
  std::uint64_t zeroEntries[kMax] = {};  // bit b set: every input of entry b was zero
  const void* input0[kMax] = {};          // the inputs[0] pointer of each call
  void* output0[kMax] = {};               // the outputs[0] pointer of each call
  std::size_t badScratch = 0;             // calls with a null / misaligned scratch pointer

  void reset() { n = 0, badScratch = 0; }
  void record(std::size_t batchSize, std::uint64_t zeroMask, const void* const* inputs,
              void* const* outputs) {
    if (n < kMax) {
      sizes[n] = batchSize, zeroEntries[n] = zeroMask;
      input0[n] = inputs[0], output0[n] = outputs[0];
    }
    ++n;
  }
  void checkScratch(void* scratch, std::size_t bytes) {
    if (bytes == 0) return;
    if (scratch == nullptr || reinterpret_cast<std::uintptr_t>(scratch) % 64 != 0) {
      ++badScratch;
      return;
    }
    std::memset(scratch, 0xab, bytes);  // the whole promised range must be writable
  }
  std::vector<std::size_t> calls() const { return {sizes, sizes + (n < kMax ? n : kMax)}; }
};

template <typename T>
bool allZero(const T* p, std::size_t n) {
  for (std::size_t i = 0; i < n; ++i) {
    if (p[i] != T{}) return false;
  }
  return true;
}

template <std::size_t N>
constexpr bool contains(const std::array<std::size_t, N>& sizes, std::size_t bs) {
  for (std::size_t s : sizes) {
    if (s == bs) return true;
  }
  return false;
}

// Reference computations per batch entry (tests compare against these).
inline void simpleEntry(const float* x, float* y) {
  y[0] = x[0] + 2.0f * x[1] + 3.0f * x[2] + 4.0f * x[3];
  y[1] = x[0] * x[3] - x[1];
}
inline void multiEntry(const float* a, const double* b, float* f, bool* flag) {
  float sa = a[0] + a[1] + a[2] + a[3];
  double sb = b[0] + b[1] + b[2] + b[3];
  f[0] = sa + static_cast<float>(sb);
  f[1] = a[0] * static_cast<float>(b[3]);
  flag[0] = sa > sb;
  flag[1] = a[0] > 0.0f;
}
inline void intsEntry(const std::int32_t* a, const std::int64_t* b, std::int64_t* sum,
                      std::int32_t* neg) {
  sum[0] = a[0] + a[1] + a[2] + b[0] - 2 * b[1];
  for (int i = 0; i < 3; ++i) neg[i] = -a[i];
}

}  // namespace fake

namespace tfaot_model {

// The CMSSW test's "simple" model: x float[4] -> y float[2]; batch sizes 1, 2, 4.
struct test_simple {
  static constexpr const char* name = "test_simple";
  static constexpr std::size_t num_inputs = 1, num_outputs = 1;
  using input_types = std::tuple<float>;
  using output_types = std::tuple<float>;
  static constexpr std::array<std::size_t, 3> batch_sizes = {{1, 2, 4}};
  static constexpr std::array<std::size_t, 1> input_counts_no_batch = {{4}};
  static constexpr std::array<std::size_t, 1> output_counts_no_batch = {{2}};
  static constexpr std::array<const char*, 1> input_names = {{"x"}};
  static constexpr std::array<const char*, 1> output_names = {{"y"}};
  static constexpr std::size_t max_scratch_bytes = 0;
  static constexpr std::size_t scratch_bytes(std::size_t) noexcept { return 0; }
  static inline fake::CallLog log;

  static bool run(std::size_t bs, const void* const* inputs, void* const* outputs,
                  void* scratch) noexcept {
    if (!fake::contains(batch_sizes, bs)) return false;
    log.checkScratch(scratch, scratch_bytes(bs));
    const float* x = static_cast<const float*>(inputs[0]);
    float* y = static_cast<float*>(outputs[0]);
    std::uint64_t zero = 0;
    for (std::size_t b = 0; b < bs; ++b) {
      if (fake::allZero(x + 4 * b, 4)) zero |= std::uint64_t(1) << b;
      fake::simpleEntry(x + 4 * b, y + 2 * b);
    }
    log.record(bs, zero, inputs, outputs);
    return true;
  }
};

// The CMSSW test's "multi" model: input1 float[4], input2 double[4] -> output1 float[2],
// output2 bool[2]; batch sizes 1, 2, 4; scratch 16 bytes per entry.
struct test_multi {
  static constexpr const char* name = "test_multi";
  static constexpr std::size_t num_inputs = 2, num_outputs = 2;
  using input_types = std::tuple<float, double>;
  using output_types = std::tuple<float, bool>;
  static constexpr std::array<std::size_t, 3> batch_sizes = {{1, 2, 4}};
  static constexpr std::array<std::size_t, 2> input_counts_no_batch = {{4, 4}};
  static constexpr std::array<std::size_t, 2> output_counts_no_batch = {{2, 2}};
  static constexpr std::array<const char*, 2> input_names = {{"input1", "input2"}};
  static constexpr std::array<const char*, 2> output_names = {{"output1", "output2"}};
  static constexpr std::size_t max_scratch_bytes = 64;
  static constexpr std::size_t scratch_bytes(std::size_t bs) noexcept {
    return fake::contains(batch_sizes, bs) ? 16 * bs : 0;
  }
  static inline fake::CallLog log;

  static bool run(std::size_t bs, const void* const* inputs, void* const* outputs,
                  void* scratch) noexcept {
    if (!fake::contains(batch_sizes, bs)) return false;
    log.checkScratch(scratch, scratch_bytes(bs));
    const float* a = static_cast<const float*>(inputs[0]);
    const double* b = static_cast<const double*>(inputs[1]);
    float* f = static_cast<float*>(outputs[0]);
    bool* flag = static_cast<bool*>(outputs[1]);
    std::uint64_t zero = 0;
    for (std::size_t e = 0; e < bs; ++e) {
      if (fake::allZero(a + 4 * e, 4) && fake::allZero(b + 4 * e, 4)) {
        zero |= std::uint64_t(1) << e;
      }
      fake::multiEntry(a + 4 * e, b + 4 * e, f + 2 * e, flag + 2 * e);
    }
    log.record(bs, zero, inputs, outputs);
    return true;
  }
};

// Integer types: a int32[3], b int64[2] -> neg int32[3], sum int64[1]; batch sizes 2, 3;
// a constant 64 bytes of scratch.
struct test_ints {
  static constexpr const char* name = "test_ints";
  static constexpr std::size_t num_inputs = 2, num_outputs = 2;
  using input_types = std::tuple<std::int32_t, std::int64_t>;
  using output_types = std::tuple<std::int32_t, std::int64_t>;
  static constexpr std::array<std::size_t, 2> batch_sizes = {{2, 3}};
  static constexpr std::array<std::size_t, 2> input_counts_no_batch = {{3, 2}};
  static constexpr std::array<std::size_t, 2> output_counts_no_batch = {{3, 1}};
  static constexpr std::array<const char*, 2> input_names = {{"a", "b"}};
  static constexpr std::array<const char*, 2> output_names = {{"neg", "sum"}};
  static constexpr std::size_t max_scratch_bytes = 64;
  static constexpr std::size_t scratch_bytes(std::size_t bs) noexcept {
    return fake::contains(batch_sizes, bs) ? 64 : 0;
  }
  static inline fake::CallLog log;

  static bool run(std::size_t bs, const void* const* inputs, void* const* outputs,
                  void* scratch) noexcept {
    if (!fake::contains(batch_sizes, bs)) return false;
    log.checkScratch(scratch, scratch_bytes(bs));
    const auto* a = static_cast<const std::int32_t*>(inputs[0]);
    const auto* b = static_cast<const std::int64_t*>(inputs[1]);
    auto* neg = static_cast<std::int32_t*>(outputs[0]);
    auto* sum = static_cast<std::int64_t*>(outputs[1]);
    std::uint64_t zero = 0;
    for (std::size_t e = 0; e < bs; ++e) {
      if (fake::allZero(a + 3 * e, 3) && fake::allZero(b + 2 * e, 2)) {
        zero |= std::uint64_t(1) << e;
      }
      fake::intsEntry(a + 3 * e, b + 2 * e, sum + e, neg + 3 * e);
    }
    log.record(bs, zero, inputs, outputs);
    return true;
  }
};

}  // namespace tfaot_model

namespace fake {

// "Double the input": x float[3] -> y float[3] = 2x; batch sizes 1, 2, 4; 32 bytes scratch per
// entry. In its own namespace to show Model works with any NS.
struct doubler {
  static constexpr const char* name = "doubler";
  static constexpr std::size_t num_inputs = 1, num_outputs = 1;
  using input_types = std::tuple<float>;
  using output_types = std::tuple<float>;
  static constexpr std::array<std::size_t, 3> batch_sizes = {{1, 2, 4}};
  static constexpr std::array<std::size_t, 1> input_counts_no_batch = {{3}};
  static constexpr std::array<std::size_t, 1> output_counts_no_batch = {{3}};
  static constexpr std::array<const char*, 1> input_names = {{"x"}};
  static constexpr std::array<const char*, 1> output_names = {{"y"}};
  static constexpr std::size_t max_scratch_bytes = 128;
  static constexpr std::size_t scratch_bytes(std::size_t bs) noexcept {
    return contains(batch_sizes, bs) ? 32 * bs : 0;
  }
  static inline CallLog log;

  static bool run(std::size_t bs, const void* const* inputs, void* const* outputs,
                  void* scratch) noexcept {
    if (!contains(batch_sizes, bs)) return false;
    log.checkScratch(scratch, scratch_bytes(bs));
    const float* x = static_cast<const float*>(inputs[0]);
    float* y = static_cast<float*>(outputs[0]);
    std::uint64_t zero = 0;
    for (std::size_t e = 0; e < bs; ++e) {
      if (allZero(x + 3 * e, 3)) zero |= std::uint64_t(1) << e;
      for (std::size_t j = 0; j < 3; ++j) y[3 * e + j] = 2.0f * x[3 * e + j];
    }
    log.record(bs, zero, inputs, outputs);
    return true;
  }
};

}  // namespace fake

namespace fake {

// Stateless (no log): x float[2] -> y = 3x computed through the scratch buffer, so instances
// that shared scratch across threads would corrupt each other's results. Batch sizes 2, 8.
struct scaler {
  static constexpr const char* name = "scaler";
  static constexpr std::size_t num_inputs = 1, num_outputs = 1;
  using input_types = std::tuple<float>;
  using output_types = std::tuple<float>;
  static constexpr std::array<std::size_t, 2> batch_sizes = {{2, 8}};
  static constexpr std::array<std::size_t, 1> input_counts_no_batch = {{2}};
  static constexpr std::array<std::size_t, 1> output_counts_no_batch = {{2}};
  static constexpr std::array<const char*, 1> input_names = {{"x"}};
  static constexpr std::array<const char*, 1> output_names = {{"y"}};
  static constexpr std::size_t max_scratch_bytes = 8 * 2 * sizeof(float);
  static constexpr std::size_t scratch_bytes(std::size_t bs) noexcept {
    return contains(batch_sizes, bs) ? bs * 2 * sizeof(float) : 0;
  }

  static bool run(std::size_t bs, const void* const* inputs, void* const* outputs,
                  void* scratch) noexcept {
    if (!contains(batch_sizes, bs)) return false;
    const float* x = static_cast<const float*>(inputs[0]);
    float* y = static_cast<float*>(outputs[0]);
    volatile float* tmp = static_cast<float*>(scratch);
    for (std::size_t i = 0; i < 2 * bs; ++i) tmp[i] = 3.0f * x[i];
    for (std::size_t i = 0; i < 2 * bs; ++i) y[i] = tmp[i];
    return true;
  }
};

}  // namespace fake

namespace fake {

// doubler with a dynamic-batch entry (the model.h members of a package compiled with
// compilation.dynamic_batch): any batch size in one call, 48 bytes of scratch.
struct dyn_doubler : doubler {
  static constexpr const char* name = "dyn_doubler";
  static constexpr bool has_dynamic_batch = true;
  static constexpr std::size_t dynamic_scratch_bytes = 48;
  static inline CallLog dynamicLog;

  static void run_dynamic(std::size_t bs, const void* const* inputs, void* const* outputs,
                          void* scratch) noexcept {
    dynamicLog.checkScratch(scratch, dynamic_scratch_bytes);
    const float* x = static_cast<const float*>(inputs[0]);
    float* y = static_cast<float*>(outputs[0]);
    for (std::size_t i = 0; i < 3 * bs; ++i) y[i] = 2.0f * x[i];
    dynamicLog.record(bs, 0, inputs, outputs);
  }
};

}  // namespace fake

namespace fake {

// Packages compiled with batch rules (compilation.batch_rules): model.h lists them in
// batch_rules and tfaot::Model registers them on construction. All share doubler's log.
struct ruled_doubler : doubler {
  static constexpr const char* name = "ruled_doubler";
  static constexpr std::array<const char*, 2> batch_rules = {{"3:2,1", "7:4,4"}};
};

// With the dynamic-batch entry: compiled-in rules win for their batch sizes.
struct ruled_dyn_doubler : dyn_doubler {
  static constexpr const char* name = "ruled_dyn_doubler";
  static constexpr std::array<const char*, 1> batch_rules = {{"5:4,1"}};
};

// A hand-written model.h may use a C array.
struct c_array_ruled_doubler : doubler {
  static constexpr const char* name = "c_array_ruled_doubler";
  static constexpr const char* batch_rules[] = {"3:1,1,1"};
};

// A package compiled without rules (tfaot-compile always writes the member).
struct no_rules_doubler : doubler {
  static constexpr const char* name = "no_rules_doubler";
  static constexpr std::array<const char*, 0> batch_rules = {};
};

// A hand-edited model.h whose rule uses a size that is not compiled.
struct bad_rules_doubler : doubler {
  static constexpr const char* name = "bad_rules_doubler";
  static constexpr std::array<const char*, 2> batch_rules = {{"2:1,1", "6:3,3"}};
};

}  // namespace fake
