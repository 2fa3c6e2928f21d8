// Runs the example model (examples/models/mlp: x float32[B,4] -> y float32[B,3]) over flat,
// contiguous buffers with tfaot::Model::runFlat on a batch of 3 and prints one line per row
// (the same inputs and format as examples/cmake-consumer, so the outputs can be compared).
#include <cstdio>
#include <vector>

#include "tfaot-model-example-mlp/model.h"
#include "tfaot/Model.h"

int main() {
  const std::size_t batch = 3;
  const std::vector<float> x = {0.5f, -1.0f, 0.25f, 2.0f,  -0.75f, 0.0f, 1.5f, -2.0f,  1.0f, 1.0f, -1.0f, 0.1f};
  std::vector<float> y(batch * tfaot_model::example_mlp::output_counts_no_batch[0]);
  tfaot::Model<tfaot_model::example_mlp> model;
  model.runFlat(batch, {x.data()}, {y.data()});
  for (std::size_t b = 0; b < batch; ++b) {
    std::printf("y[%zu] =", b);
    for (std::size_t k = 0; k < 3; ++k) std::printf(" %.6f", y[b * 3 + k]);
    std::printf("\n");
  }
  return 0;
}
