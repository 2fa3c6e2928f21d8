#include "passes/prune_loop_variables.h"

#include <gtest/gtest.h>

#include "ops/control_flow.h"
#include "ops/interpreter.h"
#include "passes/dead_code_elimination.h"
#include "passes/shape_inference.h"
#include "passes/test_graphs.h"

namespace tfaot::passes {
using namespace testing;

namespace {

constexpr int32_t kSteps = 3;

// acc' = acc * scale + bias, i = 0..kSteps-1, with loop variables
//   0 counter, 1 acc (changed), 2 scale (passed through, read), 3 unused constant (passed
//   through, never read: dead), 4 unused input (passed through, never read, but its final value
//   is a graph output: kept), 5 unused input (dead; its producer goes with it).
struct Loop {
  ir::Graph g;
  ir::Node* loop;
  Loop() {
    auto args = [](ir::Graph& s) {
      std::vector<ir::Node*> a;
      a.push_back(placeholder(s, "arg0", DType::Int32, {}));
      for (int i = 1; i < 6; ++i) a.push_back(placeholder(s, "arg" + std::to_string(i), DType::Float, {2}));
      return a;
    };
    auto cond = std::make_shared<ir::Graph>();
    auto ca = args(*cond);
    ir::Node* lim = cond->add_const("n", Tensor::scalar<int32_t>(kSteps));
    output(*cond, "out0", {node(*cond, "less", "Less", {{ca[0], 0}, {lim, 0}}, DType::Int32), 0});
    auto body = std::make_shared<ir::Graph>();
    auto ba = args(*body);
    ir::Node* one = body->add_const("one", Tensor::scalar<int32_t>(1));
    ir::Node* bias = body->add_const("bias", Tensor::from_vector<float>({2}, {0.5f, -1.f}));
    ir::Node* mul = node(*body, "mul", "Mul", {{ba[1], 0}, {ba[2], 0}});
    output(*body, "out0", {node(*body, "inc", "AddV2", {{ba[0], 0}, {one, 0}}, DType::Int32), 0});
    output(*body, "out1", {node(*body, "add", "AddV2", {{mul, 0}, {bias, 0}}), 0});
    for (int i = 2; i < 6; ++i) output(*body, "out" + std::to_string(i), {ba[i], 0});

    ir::Node* x = placeholder(g, "x", DType::Float, {2});
    ir::Node* y = placeholder(g, "y", DType::Float, {2});
    ir::Node* neg = node(g, "neg", "Neg", {{y, 0}});
    loop = node(g, "loop", "While",
                {{g.add_const("zero", Tensor::scalar<int32_t>(0)), 0}, {x, 0}, {x, 0},
                 {g.add_const("w", Tensor::from_vector<float>({2}, {7.f, 8.f})), 0}, {y, 0},
                 {neg, 0}});
    loop->subgraphs = {cond, body};
    output(g, "acc", {loop, 1});
    output(g, "y_final", {loop, 4});
  }
};

TEST(PruneLoopVariables, DropsOnlyDeadVariablesSameResult) {
  Loop l;
  ShapeInference().run(l.g);
  std::vector<Tensor> in = {Tensor::from_vector<float>({2}, {1.5f, -2.f}),
                            Tensor::from_vector<float>({2}, {3.f, 4.f})};
  std::vector<Tensor> before = ops::interpret(l.g, in);

  EXPECT_TRUE(PruneLoopVariables().run(l.g));
  EXPECT_EQ(l.loop->inputs.size(), 4u) << "variables 3 and 5 are dead";
  EXPECT_EQ(l.loop->subgraphs.size(), 2u) << "specialized copies are re-derived";
  for (int k : {ops::kCond, ops::kBody}) EXPECT_EQ(l.loop->subgraphs[k]->inputs.size(), 4u);
  EXPECT_EQ(l.loop->subgraphs[ops::kBody]->outputs.size(), 4u);
  EXPECT_EQ(l.g.outputs[1].value.index, 3) << "the kept final value is renumbered";
  EXPECT_FALSE(PruneLoopVariables().run(l.g)) << "nothing left to prune";

  ShapeInference().run(l.g);
  DeadCodeElimination().run(l.g);
  EXPECT_EQ(count_op(l.g, "Neg"), 0) << "the dead variable's producer is gone";
  std::vector<Tensor> after = ops::interpret(l.g, in);
  ASSERT_EQ(after.size(), before.size());
  for (size_t o = 0; o < before.size(); ++o)
    for (int64_t i = 0; i < 2; ++i)
      EXPECT_EQ(after[o].data<float>()[i], before[o].data<float>()[i]) << o << " " << i;
}

TEST(PruneLoopVariables, ReadOrChangedVariablesStay) {
  Loop l;
  // The condition now reads variable 3: it is no longer dead.
  ir::Graph& cond = *l.loop->subgraphs[ops::kCond];
  node(cond, "probe", "Neg", {{cond.inputs[3].node, 0}});
  ShapeInference().run(l.g);
  EXPECT_TRUE(PruneLoopVariables().run(l.g));
  EXPECT_EQ(l.loop->inputs.size(), 5u) << "only variable 5 goes";
}

}  // namespace
}  // namespace tfaot::passes
