// Runs a tfaot-compiled model through the CMSSW-style C++ API and prints its outputs.
//
// Build (scripts/run_example.sh does all of this):
//   tfaot-compile -c examples/models/mlp/aot_config.yaml -o out/mlp
//   c++ -std=c++17 -I<tfaot>/runtime/include -Iout/mlp/include \
//       -DTFAOT_EXAMPLE_HEADER='"tfaot-model-mlp/model.h"' -DTFAOT_EXAMPLE_MODEL=tfaot_model::mlp \
//       examples/run_example.cc out/mlp/lib/*.o -o run_example
//   ./run_example [BATCH_SIZE]
//
// The inputs are a fixed, reproducible pattern; any batch size works (sizes that were not
// compiled are stitched together from compiled ones and padded by tfaot::Model).
#include <cmath>
#include <cstdlib>
#include <iostream>
#include <tuple>
#include <utility>
#include <vector>

#include "tfaot/Model.h"

#ifndef TFAOT_EXAMPLE_HEADER
#define TFAOT_EXAMPLE_HEADER "tfaot-model-mlp/model.h"
#define TFAOT_EXAMPLE_MODEL tfaot_model::mlp
#endif
#include TFAOT_EXAMPLE_HEADER

using Model = TFAOT_EXAMPLE_MODEL;

// Input i of entry b, element k: a smooth pattern in [-1, 1] (integers 0..9 for int inputs).
template <typename T>
std::vector<std::vector<T>> make_input(std::size_t i, std::size_t batch, std::size_t count) {
  std::vector<std::vector<T>> x(batch, std::vector<T>(count));
  for (std::size_t b = 0; b < batch; ++b)
    for (std::size_t k = 0; k < count; ++k) {
      double v = std::sin(0.7 * static_cast<double>(k + 1) + 1.3 * static_cast<double>(b) + 0.5 * static_cast<double>(i));
      if constexpr (std::is_same_v<T, bool>) x[b][k] = v > 0;
      else if constexpr (std::is_integral_v<T>) x[b][k] = static_cast<T>((k + b + i) % 10);
      else x[b][k] = static_cast<T>(v);
    }
  return x;
}

template <typename T>
void print_arrays(const char* name, const std::vector<std::vector<T>>& y) {
  for (std::size_t b = 0; b < y.size(); ++b) {
    std::cout << "  " << name << "[" << b << "] =";
    for (const T& v : y[b]) std::cout << " " << +v;
    std::cout << "\n";
  }
}

template <std::size_t... I, std::size_t... O>
void run(std::size_t batch, std::index_sequence<I...>, std::index_sequence<O...>) {
  tfaot::Model<Model> model;
  auto inputs = std::make_tuple(
      make_input<std::tuple_element_t<I, typename Model::input_types>>(I, batch, Model::input_counts_no_batch[I])...);
  auto outputs = model.template run<std::vector<std::vector<std::tuple_element_t<O, typename Model::output_types>>>...>(
      batch, std::get<I>(inputs)...);
  std::cout << "model '" << Model::name << "', batch size " << batch << " (compiled sizes:";
  for (std::size_t s : Model::batch_sizes) std::cout << " " << s;
  std::cout << ")\n";
  (print_arrays(Model::input_names[I], std::get<I>(inputs)), ...);
  (print_arrays(Model::output_names[O], std::get<O>(outputs)), ...);
}

int main(int argc, char** argv) {
  std::size_t batch = argc > 1 ? std::strtoul(argv[1], nullptr, 10) : 3;
  if (batch == 0) {
    std::cerr << "usage: " << argv[0] << " [BATCH_SIZE > 0]\n";
    return 2;
  }
  try {
    run(batch, std::make_index_sequence<Model::num_inputs>{}, std::make_index_sequence<Model::num_outputs>{});
  } catch (const std::exception& e) {
    std::cerr << "error: " << e.what() << "\n";
    return 1;
  }
  return 0;
}
