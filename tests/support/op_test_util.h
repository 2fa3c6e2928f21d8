// Helpers for the per-op tests (src/ops/*_test.cc): build a small graph of one op by hand,
// infer types as the passes would, run it through the reference interpreter and through
// generated code, and compare tensors.
#pragma once

#include <gtest/gtest.h>

#include <functional>
#include <memory>
#include <random>
#include <string>
#include <vector>

#include "ir/graph.h"

namespace tfaot::test {

tensorflow::AttrValue attr_type(DType t);
tensorflow::AttrValue attr_int(int64_t v);
tensorflow::AttrValue attr_float(float v);
tensorflow::AttrValue attr_bool(bool v);
tensorflow::AttrValue attr_string(const std::string& v);
tensorflow::AttrValue attr_ints(const std::vector<int64_t>& v);

// A hand-built graph. Every add() infers the new node immediately (find_op(op)->infer), so
// an invalid node throws from add() itself.
class OpGraph {
 public:
  OpGraph();
  ir::Graph& graph() { return *graph_; }
  const ir::Graph& graph() const { return *graph_; }

  // A signature input (Placeholder) with a static type; keys "in00", "in01", ... in order.
  ir::Value input(DType dtype, Shape shape);
  ir::Value constant(Tensor value);
  // Adds node `op` named `name` (made unique) and infers it. Output 0 is returned.
  ir::Value add(const std::string& op, std::vector<ir::Value> inputs, ir::AttrMap attrs = {},
                const std::string& name = "");
  // The last node add() created (also when it threw).
  ir::Node* last() const { return last_; }
  // A signature output; keys "out00", "out01", ... in order.
  void output(ir::Value v);

  std::vector<Tensor> reference(const std::vector<Tensor>& inputs) const;
  std::vector<Tensor> generated(const std::vector<Tensor>& inputs) const;
  // Random values for every input (see random_tensor).
  std::vector<Tensor> random_inputs(uint32_t seed, double lo = -4, double hi = 4) const;

 private:
  std::unique_ptr<ir::Graph> graph_;
  ir::Node* last_ = nullptr;
  int consts_ = 0;
};

// Uniform values in [lo, hi) (integers: rounded; bool: random).
Tensor random_tensor(DType dtype, const Shape& shape, std::mt19937& rng, double lo = -4,
                     double hi = 4);

// Same dtype, shape and values; NaN equals NaN.
void expect_equal(const Tensor& actual, const Tensor& expected, const std::string& what = "");
// Same dtype and shape; for floats |a - e| <= atol + rtol * |e| (NaN matches NaN, inf must
// match exactly); other dtypes exactly.
void expect_close(const Tensor& actual, const Tensor& expected, double rtol, double atol,
                  const std::string& what = "");

// Generated code vs reference interpreter on random inputs, every output compared with
// expect_close(rtol, atol).
void check_generated(const OpGraph& g, uint32_t seed, double rtol, double atol, double lo = -4,
                     double hi = 4);

// `fn` must throw tfaot::Error whose message contains every string of `parts`.
void expect_error(const std::function<void()>& fn, const std::vector<std::string>& parts);

}  // namespace tfaot::test
