// Runs the example model (examples/models/mlp: x float32[B,4] -> y float32[B,3], softmax)
// through tfaot::Model on a batch of 3, which is not a compiled size (1, 2, 4): tfaot::Model
// stitches compiled sizes. Checks the result against the compiled batch-size-1 entry run row by
// row, and that each row is a probability distribution. Prints one line per row, then "ok".
#include <cmath>
#include <cstdio>

#include "tfaot-model-example-mlp/model.h"
#include "tfaot/Flat.h"
#include "tfaot/Model.h"

using Mlp = tfaot_model::example_mlp;

int main() {
  const tfaot::FloatArrays x = {{0.5f, -1.0f, 0.25f, 2.0f}, {-0.75f, 0.0f, 1.5f, -2.0f}, {1.0f, 1.0f, -1.0f, 0.1f}};
  tfaot::Model<Mlp> model;
  auto [y] = model.run<tfaot::FloatArrays>(x.size(), x);

  bool ok = y.size() == x.size();
  tfaot::AlignedBuffer scratch(Mlp::scratch_bytes(1));
  for (std::size_t b = 0; ok && b < y.size(); ++b) {
    float single[3] = {0, 0, 0};
    const void* in[] = {x[b].data()};
    void* out[] = {single};
    tfaot::runCompiled<Mlp>(1, in, out, scratch.data());
    float sum = 0;
    std::printf("y[%zu] =", b);
    for (std::size_t k = 0; k < y[b].size(); ++k) {
      std::printf(" %.6f", y[b][k]);
      sum += y[b][k];
      ok = ok && y[b][k] > 0 && std::fabs(y[b][k] - single[k]) <= 1e-6f;
    }
    std::printf("\n");
    ok = ok && y[b].size() == 3 && std::fabs(sum - 1.0f) < 1e-5f;
  }
  std::printf("%s\n", ok ? "ok" : "MISMATCH");
  return ok ? 0 : 1;
}
