// End-to-end check of one compiled model package against its golden.json, through the public
// C++ API only: includes "tfaot-model-NAME/model.h" (TFAOT_E2E_HEADER) and tfaot/Model.h and
// runs tfaot::Model<TFAOT_E2E_MODEL> for every case (batch sizes that are not compiled go
// through the runtime's stitching and padding). Built by run_cms_e2e.sh at test time.
// Usage: golden_main GOLDEN.json [ATOL RTOL]   (default 1e-6 1e-5, the CMS models' bound;
// GOLDEN.md's general tolerance is 1e-5 1e-4). Exit 0: all outputs within tolerance.
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <iostream>
#include <string>
#include <tuple>
#include <utility>
#include <vector>

#include <nlohmann/json.hpp>

#include "tfaot/Model.h"
#include TFAOT_E2E_HEADER

using M = TFAOT_E2E_MODEL;
using nlohmann::json;

namespace {

double g_atol = 1e-6, g_rtol = 1e-5;

template <typename T>
std::vector<std::vector<T>> to_arrays(const json& tensor, std::size_t batch, std::size_t per_entry) {
  const json& data = tensor.at("data");
  if (data.size() != batch * per_entry) throw std::runtime_error("golden tensor has an unexpected size");
  std::vector<std::vector<T>> arrays(batch, std::vector<T>(per_entry));
  for (std::size_t b = 0; b < batch; ++b)
    for (std::size_t k = 0; k < per_entry; ++k) {
      const json& v = data[b * per_entry + k];
      if constexpr (std::is_same_v<T, bool>) arrays[b][k] = v.get<bool>();
      else if constexpr (std::is_floating_point_v<T>)
        // float32 values are the shortest decimal that rounds to them via double (GOLDEN.md).
        arrays[b][k] = static_cast<T>(v.get<double>());
      else arrays[b][k] = v.get<T>();
    }
  return arrays;
}

template <typename T>
int compare(const std::vector<std::vector<T>>& actual, const json& expected, const std::string& what) {
  const json& data = expected.at("data");
  std::size_t n = 0;
  int bad = 0;
  for (const auto& entry : actual)
    for (const T& a : entry) {
      if (n >= data.size()) {
        std::cerr << what << ": more outputs than expected\n";
        return 1;
      }
      bool ok;
      double e = 0;
      if constexpr (std::is_same_v<T, bool>) ok = a == data[n].get<bool>();
      else {
        e = data[n].get<double>();
        ok = std::fabs(static_cast<double>(a) - e) <= g_atol + g_rtol * std::fabs(e);
      }
      if (!ok && bad++ < 5)
        std::cerr << what << "[" << n << "]: got " << +a << ", expected " << data[n].dump() << "\n";
      ++n;
    }
  if (n != data.size()) {
    std::cerr << what << ": got " << n << " values, expected " << data.size() << "\n";
    return 1;
  }
  return bad ? 1 : 0;
}

template <std::size_t... I, std::size_t... O>
int run_case(tfaot::Model<M>& model, const json& c, std::index_sequence<I...>, std::index_sequence<O...>) {
  const std::size_t bs = c.at("batch_size").get<std::size_t>();
  auto inputs = std::make_tuple(to_arrays<std::tuple_element_t<I, typename M::input_types>>(
      c.at("inputs").at(M::input_names[I]), bs, M::input_counts_no_batch[I])...);
  auto outputs = model.template run<std::vector<std::vector<std::tuple_element_t<O, typename M::output_types>>>...>(
      bs, std::get<I>(inputs)...);
  int bad = 0;
  ((bad += compare(std::get<O>(outputs), c.at("outputs").at(M::output_names[O]),
                   std::string(M::name) + " bs=" + std::to_string(bs) + " " + M::output_names[O])),
   ...);
  return bad;
}

}  // namespace

int main(int argc, char** argv) {
  if (argc != 2 && argc != 4) {
    std::cerr << "usage: " << argv[0] << " GOLDEN.json [ATOL RTOL]\n";
    return 2;
  }
  if (argc == 4) g_atol = std::atof(argv[2]), g_rtol = std::atof(argv[3]);
  try {
    std::ifstream in(argv[1]);
    json golden = json::parse(in);
    tfaot::Model<M> model;
    int failures = 0, cases = 0;
    for (const json& c : golden.at("cases")) {
      int bad = run_case(model, c, std::make_index_sequence<M::num_inputs>{},
                         std::make_index_sequence<M::num_outputs>{});
      std::cout << M::name << " batch size " << c.at("batch_size") << ": " << (bad ? "FAIL" : "ok") << "\n";
      failures += bad != 0;
      ++cases;
    }
    if (cases == 0) {
      std::cerr << "no cases in " << argv[1] << "\n";
      return 1;
    }
    std::cout << M::name << ": " << cases - failures << "/" << cases << " cases match\n";
    return failures ? 1 : 0;
  } catch (const std::exception& e) {
    std::cerr << "error: " << e.what() << "\n";
    return 1;
  }
}
