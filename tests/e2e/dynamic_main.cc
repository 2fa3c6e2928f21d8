// Dynamic-batch e2e check on a compiled package (tests/e2e/run_dynamic_e2e.sh): for every batch
// size 1..kMax the dynamic entry must equal the static code (each row through NAME_bs1, and the
// whole batch through NAME_bsN for compiled N), tfaot::Model must route through it, and warm
// calls must not allocate. Compile with -DTFAOT_E2E_HEADER="tfaot-model-X/model.h"
// -DTFAOT_E2E_MODEL=tfaot_model::X; float inputs and outputs only.
// Usage: dynamic_main [--dump FILE]  (FILE: the dynamic entry's outputs of batch kMax, then
// the static code's of the largest compiled batch size, raw floats)
#include <atomic>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <new>
#include <vector>

#include TFAOT_E2E_HEADER
#include "tfaot/Model.h"

using M = TFAOT_E2E_MODEL;
static_assert(M::has_dynamic_batch, "the package must have the dynamic-batch entry");

// The replacements pair malloc with free on purpose; GCC cannot see that through operator new.
#pragma GCC diagnostic ignored "-Wmismatched-new-delete"

namespace {

std::atomic<bool> gCounting{false};
std::atomic<size_t> gAllocations{0};

}  // namespace

void* operator new(size_t size) {
  if (gCounting.load()) gAllocations.fetch_add(1);
  if (void* p = std::malloc(size ? size : 1)) return p;
  throw std::bad_alloc();
}
void* operator new(size_t size, std::align_val_t al) {
  if (gCounting.load()) gAllocations.fetch_add(1);
  const size_t a = static_cast<size_t>(al);
  if (void* p = std::aligned_alloc(a, (size + a - 1) / a * a + (size == 0) * a)) return p;
  throw std::bad_alloc();
}
void operator delete(void* p) noexcept { std::free(p); }
void operator delete(void* p, size_t) noexcept { std::free(p); }
void operator delete(void* p, std::align_val_t) noexcept { std::free(p); }
void operator delete(void* p, size_t, std::align_val_t) noexcept { std::free(p); }

namespace {

constexpr size_t kMax = 70;
constexpr size_t kIn = M::num_inputs, kOut = M::num_outputs;

struct Batch {
  std::vector<std::vector<float>> data;  // one buffer per tensor, kMax rows
  std::vector<void*> ptrs;
  Batch(const std::array<size_t, kIn>& counts) { init(counts.data(), kIn); }
  Batch(const std::array<size_t, kOut>& counts, int) { init(counts.data(), kOut); }
  void init(const size_t* counts, size_t n) {
    for (size_t i = 0; i < n; ++i) data.emplace_back(kMax * counts[i], 0.0f);
    for (auto& d : data) ptrs.push_back(d.data());
  }
  // Pointers to row `row` of every tensor.
  std::vector<void*> at(size_t row, const size_t* counts) {
    std::vector<void*> p;
    for (size_t i = 0; i < data.size(); ++i) p.push_back(data[i].data() + row * counts[i]);
    return p;
  }
};

double gMaxDiff = 0;

bool close(const Batch& a, const Batch& b, size_t rows, const char* what, size_t bs) {
  for (size_t o = 0; o < kOut; ++o)
    for (size_t i = 0; i < rows * M::output_counts_no_batch[o]; ++i) {
      const double x = a.data[o][i], y = b.data[o][i], d = std::fabs(x - y);
      gMaxDiff = std::max(gMaxDiff, d);
      if (!(d <= 1e-5 + 1e-5 * std::fabs(y))) {
        std::fprintf(stderr, "FAIL %s, batch %zu, output %zu element %zu: %.9g vs %.9g\n", what, bs, o, i, x, y);
        return false;
      }
    }
  return true;
}

}  // namespace

int main(int argc, char** argv) {
  Batch in(M::input_counts_no_batch);
  for (size_t i = 0; i < kIn; ++i)
    for (size_t k = 0; k < in.data[i].size(); ++k) in.data[i][k] = std::sin(0.37 * k + i) * 2.0f;
  Batch rowwise(M::output_counts_no_batch, 0), dyn(M::output_counts_no_batch, 0),
      stat(M::output_counts_no_batch, 0), model(M::output_counts_no_batch, 0);
  tfaot::AlignedBuffer scratch(std::max(M::max_scratch_bytes, M::dynamic_scratch_bytes));

  // Reference: every row alone through the static code of batch size 1.
  for (size_t r = 0; r < kMax; ++r) {
    auto i = in.at(r, M::input_counts_no_batch.data());
    auto o = rowwise.at(r, M::output_counts_no_batch.data());
    if (!M::run(1, i.data(), o.data(), scratch.data())) return std::puts("FAIL: batch size 1 is not compiled"), 1;
  }
  tfaot::Model<M> m;
  for (size_t bs = 1; bs <= kMax; ++bs) {
    tfaot::runDynamic<M>(bs, in.ptrs.data(), dyn.ptrs.data(), scratch.data());
    if (!close(dyn, rowwise, bs, "dynamic vs row-wise bs1", bs)) return 1;
    if (M::run(bs, in.ptrs.data(), stat.ptrs.data(), scratch.data()) && !close(dyn, stat, bs, "dynamic vs static", bs))
      return 1;
    m.runFlat(bs, in.ptrs.data(), model.ptrs.data());
    if (!close(model, rowwise, bs, "tfaot::Model::runFlat", bs)) return 1;
  }
  // tfaot::Model::run (vector API) at a size that is not compiled.
  std::vector<std::vector<float>> x(kMax - 3, std::vector<float>(M::input_counts_no_batch[0]));
  if constexpr (kIn == 1 && kOut == 1) {
    for (size_t r = 0; r < x.size(); ++r)
      std::copy_n(in.data[0].data() + r * x[r].size(), x[r].size(), x[r].begin());
    auto [y] = m.run<tfaot::FloatArrays>(x.size(), x);
    for (size_t r = 0; r < y.size(); ++r)
      for (size_t k = 0; k < y[r].size(); ++k)
        if (std::fabs(y[r][k] - rowwise.data[0][r * y[r].size() + k]) > 1e-5 + 1e-5 * std::fabs(y[r][k]))
          return std::printf("FAIL: tfaot::Model::run row %zu\n", r), 1;
  }

  // Warm calls allocate nothing: Model::runFlat (static, rules, dynamic) and the flat entries.
  gCounting = true;
  for (size_t bs = 1; bs <= kMax; ++bs) {
    m.runFlat(bs, in.ptrs.data(), model.ptrs.data());
    tfaot::runDynamic<M>(bs, in.ptrs.data(), dyn.ptrs.data(), scratch.data());
  }
  gCounting = false;
  if (gAllocations.load() != 0) return std::printf("FAIL: %zu heap allocations in warm calls\n", gAllocations.load()), 1;

  if (argc == 3 && std::strcmp(argv[1], "--dump") == 0) {
    tfaot::runDynamic<M>(kMax, in.ptrs.data(), dyn.ptrs.data(), scratch.data());
    // Then the static code of the largest compiled batch size (run_dynamic_e2e.sh blocked).
    const size_t largest = M::batch_sizes.back();
    if (largest > kMax || !M::run(largest, in.ptrs.data(), stat.ptrs.data(), scratch.data()))
      return std::puts("FAIL: largest batch size"), 1;
    FILE* f = std::fopen(argv[2], "wb");
    for (const auto& d : dyn.data) std::fwrite(d.data(), sizeof(float), d.size(), f);
    for (size_t o = 0; o < kOut; ++o)
      std::fwrite(stat.data[o].data(), sizeof(float), largest * M::output_counts_no_batch[o], f);
    std::fclose(f);
  }
  std::printf("PASS: batch 1..%zu, dynamic == static (max |diff| %.3g), 0 allocations in warm calls\n", kMax,
              gMaxDiff);
  return 0;
}
