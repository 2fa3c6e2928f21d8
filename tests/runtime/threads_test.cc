// Distinct Model instances are independent: concurrent runs on separate instances (each with
// its own buffers and scratch) give exact results.
#include <gtest/gtest.h>

#include <thread>
#include <vector>

#include "fake_models.h"
#include "tfaot/tfaot.h"

namespace {

TEST(Threads, SeparateInstancesRunConcurrently) {
  constexpr int kThreads = 4;
  std::vector<int> errors(kThreads, 0);
  std::vector<std::thread> threads;
  for (int t = 0; t < kThreads; ++t) {
    threads.emplace_back([t, &errors] {
      tfaot::Model<fake::scaler> model;
      model.setBatchRule("5:2,2,2");
      for (int iter = 0; iter < 300; ++iter) {
        const size_t bs = 1 + static_cast<size_t>(iter + t) % 11;
        std::vector<float> x(2 * bs), y(2 * bs);
        for (size_t i = 0; i < x.size(); ++i) x[i] = static_cast<float>(t * 1000 + iter + i);
        model.runFlat(bs, {x.data()}, {y.data()});
        tfaot::FloatArrays xv(bs);
        for (size_t b = 0; b < bs; ++b) xv[b] = {x[2 * b], x[2 * b + 1]};
        auto [yv] = model.run<tfaot::FloatArrays>(bs, xv);
        for (size_t i = 0; i < x.size(); ++i) {
          errors[t] += y[i] != 3.0f * x[i];
          errors[t] += yv[i / 2][i % 2] != 3.0f * x[i];
        }
      }
    });
  }
  for (auto& thread : threads) thread.join();
  for (int t = 0; t < kThreads; ++t) EXPECT_EQ(errors[t], 0) << "thread " << t;
}

}  // namespace
