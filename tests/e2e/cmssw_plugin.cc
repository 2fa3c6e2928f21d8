// A CMSSW-style plugin: a module holding a tfaot::Model, built as a -fPIC shared library that
// links the model's objects, with CMSSW's release flags (run_cmssw_flags.sh). It includes
// every generated and runtime header (TFAOT_ALL_HEADERS, written by the driver) so that each
// of them is compiled under those flags.
#include TFAOT_ALL_HEADERS

#include <cmath>
#include <vector>

namespace {

// What an EDProducer does: one model per module instance, rules set in the constructor,
// run in produce() on a batch built from the event's objects.
class Producer {
 public:
  Producer() { model_.setBatchRule("3:2,2"); }

  // The softmax outputs of `n` entries; returns the largest |row sum - 1|.
  double produce(size_t n) {
    tfaot::FloatArrays x(n, std::vector<float>(4));
    for (size_t i = 0; i < n; ++i)
      for (size_t j = 0; j < 4; ++j) x[i][j] = 0.25f * static_cast<float>(i + 1) - 0.5f * static_cast<float>(j);
    auto [y] = model_.run<tfaot::FloatArrays>(n, x);
    double worst = y.size() == n ? 0.0 : 1e9;
    for (const auto& row : y) {
      double sum = 0;
      for (float v : row) sum += v;
      worst = std::max(worst, std::fabs(sum - 1.0));
    }
    return worst;
  }

 private:
  tfaot::Model<tfaot_model::example_mlp> model_;
};

}  // namespace

// The entry the host program finds with dlsym (as the framework finds a plugin's factory).
extern "C" double tfaot_plugin_produce(unsigned n) {
  Producer p;
  return p.produce(n);
}
