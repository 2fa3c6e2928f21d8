// Two models with identical structure (cms_tfaot_simple and its perturbed copy, so the same
// kernels and shapes but different weights), two batch sizes each, linked into one program:
// every symbol must be unique per model, and each must still compute its own golden outputs.
// Usage: two_models_main SIMPLE_GOLDEN.json PERTURBED_GOLDEN.json
#include <cmath>
#include <fstream>
#include <iostream>

#include <nlohmann/json.hpp>

#include "tfaot/Model.h"
#include "tfaot-model-simple/model.h"
#include "tfaot-model-simple-perturbed/model.h"

template <class M>
int check(const char* golden_path) {
  std::ifstream in(golden_path);
  auto golden = nlohmann::json::parse(in);
  tfaot::Model<M> model;
  int checked = 0, bad = 0;
  for (const auto& c : golden.at("cases")) {
    size_t bs = c.at("batch_size").get<size_t>();
    if (bs != 1 && bs != 2) continue;  // only the compiled sizes: no stitching here
    const auto& x = c.at("inputs").at("input").at("data");
    const auto& y = c.at("outputs").at("output").at("data");
    tfaot::FloatArrays input(bs, std::vector<float>(4));
    for (size_t i = 0; i < bs * 4; ++i) input[i / 4][i % 4] = static_cast<float>(x[i].get<double>());
    auto [out] = model.template run<tfaot::FloatArrays>(bs, input);
    for (size_t i = 0; i < bs * 2; ++i) {
      double e = y[i].get<double>(), a = out[i / 2][i % 2];
      if (std::fabs(a - e) > 1e-6 + 1e-5 * std::fabs(e)) {
        std::cerr << M::name << " bs=" << bs << " [" << i << "]: got " << a << ", expected " << e << "\n";
        ++bad;
      }
    }
    ++checked;
  }
  std::cout << M::name << ": " << checked << " batch sizes checked, " << bad << " mismatches\n";
  return checked == 2 && bad == 0 ? 0 : 1;
}

int main(int argc, char** argv) {
  if (argc != 3) return 2;
  static_assert(tfaot_model::simple::batch_sizes.size() == 2 && tfaot_model::simple_perturbed::batch_sizes.size() == 2);
  int rc = check<tfaot_model::simple>(argv[1]) | check<tfaot_model::simple_perturbed>(argv[2]);
  // The two models must not share results (they have different weights).
  tfaot::Model<tfaot_model::simple> a;
  tfaot::Model<tfaot_model::simple_perturbed> b;
  tfaot::FloatArrays x = {{0.5f, -1.f, 0.25f, 2.f}};
  auto [ya] = a.run<tfaot::FloatArrays>(1, x);
  auto [yb] = b.run<tfaot::FloatArrays>(1, x);
  if (ya[0][0] == yb[0][0]) {
    std::cerr << "simple and simple_perturbed gave identical outputs: weights were mixed up\n";
    rc = 1;
  }
  return rc;
}
