// Writes the example SavedModel shipped in examples/models/mlp: a Keras-2-style export of
// x float32[-1,4] -> Dense(8, tanh) -> Dense(3) -> Softmax -> y float32[-1,3], with a
// StatefulPartitionedCall into library functions and resource variables in a TensorBundle
// checkpoint (object graph included). Deterministic: rerunning gives identical files.
//   tfaot_make_example_model OUTPUT_DIR
#include <cstdio>

#include "frontend/test_fixtures.h"

int main(int argc, char** argv) {
  if (argc != 2) {
    std::fprintf(stderr, "usage: %s OUTPUT_DIR\n", argv[0]);
    return 2;
  }
  try {
    tfaot::frontend::fixtures::write_mlp(argv[1], /*text=*/true);
  } catch (const std::exception& e) {
    std::fprintf(stderr, "tfaot_make_example_model: error: %s\n", e.what());
    return 1;
  }
  return 0;
}
