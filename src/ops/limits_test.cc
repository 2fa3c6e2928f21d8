// Resource limits the optimizer enforces: node outputs above tensor-bytes (an absurd shape
// computed in the graph, a list reserved for a billion loop iterations) and loops evaluated at
// compile time beyond loop-iterations. Each is one Error naming the node and the limit.
#include <gtest/gtest.h>

#include "op_test_util.h"
#include "ops/op.h"
#include "passes/pipeline.h"
#include "support/limits.h"

namespace tfaot::test {
namespace {

ir::Value i32(OpGraph& g, int32_t v) { return g.constant(Tensor::scalar<int32_t>(v)); }

TEST(Limits, AbsurdComputedShapeOverTensorBytes) {
  OpGraph g;
  // float32[2^20, 2^20] = 4 TiB: inferred (no allocation), refused before folding or emission.
  auto dims = g.constant(Tensor::from_vector<int64_t>({2}, {int64_t{1} << 20, int64_t{1} << 20}));
  g.output(g.add("Fill", {dims, g.constant(Tensor::scalar<float>(1))}, {}, "huge"));
  expect_error([&] { passes::optimize(g.graph()); },
               {"'huge'", "float32[1048576,1048576]", "4398046511104 bytes", "tensor-bytes=",
                "--limit tensor-bytes="});
}

TEST(Limits, ListForBillionsOfIterationsOverTensorBytes) {
  OpGraph g;
  auto eshape = g.constant(Tensor::from_vector<int32_t>({1}, {64}));
  ir::AttrMap fl{{"element_dtype", attr_type(DType::Float)}};
  g.output(g.add("TensorListReserve", {eshape, i32(g, 2'000'000'000)}, fl, "reserve"));
  expect_error([&] { passes::optimize(g.graph()); }, {"'reserve'", "tensor-bytes="});
}

// while (i < 1000) i += 1, on a constant: folded by evaluating the loop at compile time.
TEST(Limits, ConstantLoopOverLoopIterations) {
  auto build = [](OpGraph& g) {
    OpGraph cond, body;
    auto ci = cond.input(DType::Int32, {});
    cond.output(cond.add("Less", {ci, i32(cond, 1000)}));
    auto bi = body.input(DType::Int32, {});
    body.output(body.add("AddV2", {bi, i32(body, 1)}));
    ir::Node* w = g.graph().add_node("loop", "While");
    w->inputs = {i32(g, 0)};
    w->subgraphs = {std::shared_ptr<ir::Graph>(cond.graph().clone()),
                    std::shared_ptr<ir::Graph>(body.graph().clone())};
    ops::find_op("While")->infer(*w);
    g.output({w, 0});
  };
  {
    OpGraph g;
    build(g);
    ScopedLimit low(Limit::LoopIterations, 100);
    expect_error([&] { passes::optimize(g.graph()); },
                 {"'loop'", "101 iterations", "loop-iterations=100", "--limit loop-iterations="});
  }
  OpGraph g;
  build(g);
  passes::optimize(g.graph());
  expect_equal(*g.graph().outputs[0].value.node->value, Tensor::scalar<int32_t>(1000));
}

}  // namespace
}  // namespace tfaot::test
