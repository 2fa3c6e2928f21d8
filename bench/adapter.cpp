// The peer-benchmark contract run(const float* in, float* out, int batch) over a model compiled
// by tfaot (bench/peers.sh). Any batch 1..256 is covered by stitching compiled sizes with
// tfaot::Model::runFlat: unpadded chunks run in place on the caller's buffers (no copies).
// With TFAOT_BENCH_DYNAMIC the function is TFAOT_BENCH_MODEL_dyn instead and calls the
// dynamic-batch entry: every batch in one call, no rules (the "tfaot_dyn" peer).
#include <vector>

#include TFAOT_BENCH_HEADER
#include "tfaot/Model.h"

namespace tfaot_bench {
namespace {

using ModelT = tfaot_model::TFAOT_BENCH_MODEL;

// Greedy rules: the largest compiled size that fits, repeated; the remainder padded onto the
// smallest compiled size that covers it.
[[maybe_unused]] tfaot::Model<ModelT> make_model() {
  tfaot::Model<ModelT> m;
  const auto& sizes = ModelT::batch_sizes;
  for (size_t target = 1; target <= 256; ++target) {
    std::vector<size_t> chunks;
    size_t rest = target;
    for (size_t i = sizes.size(); i-- > 0 && rest > 0;)
      while (rest >= sizes[i]) {
        chunks.push_back(sizes[i]);
        rest -= sizes[i];
      }
    size_t padding = 0;
    if (rest > 0) {
      size_t cover = sizes.back();
      for (size_t s : sizes)
        if (s >= rest) {
          cover = s;
          break;
        }
      chunks.push_back(cover);
      padding = cover - rest;
    }
    m.setBatchRule(target, chunks, padding);
  }
  return m;
}

}  // namespace

#ifdef TFAOT_BENCH_DYNAMIC
void TFAOT_BENCH_DYNAMIC(const float* in, float* out, int batch) {
  static tfaot::AlignedBuffer scratch(ModelT::dynamic_scratch_bytes);
  const void* inputs[] = {in};
  void* outputs[] = {out};
  ModelT::run_dynamic(static_cast<size_t>(batch), inputs, outputs, scratch.data());
}
#else
void TFAOT_BENCH_MODEL(const float* in, float* out, int batch) {
  static tfaot::Model<ModelT> model = make_model();
  const void* inputs[] = {in};
  void* outputs[] = {out};
  model.runFlat(static_cast<size_t>(batch), inputs, outputs);
}
#endif

}  // namespace tfaot_bench
