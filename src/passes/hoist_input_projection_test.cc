#include "passes/hoist_input_projection.h"

#include <gtest/gtest.h>

#include <random>

#include "ops/control_flow.h"
#include "ops/interpreter.h"
#include "passes/dead_code_elimination.h"
#include "passes/shape_inference.h"
#include "passes/test_graphs.h"

namespace tfaot::passes {
using namespace testing;

namespace {

constexpr int64_t T = 4, B = 2, K = 3, N = 5;

Tensor random(const Shape& s, std::mt19937& rng) {
  Tensor t(DType::Float, s);
  std::uniform_real_distribution<float> u(-1, 1);
  for (int64_t i = 0; i < t.num_elements(); ++i) t.data<float>()[i] = u(rng);
  return t;
}

// A Keras-style SimpleRNN: h' = tanh(x[t] W + h U), t = 0..T-1, xs = TensorListFromTensor(x)
// and W (constant) entering the loop as pass-through variables.
struct Rnn {
  ir::Graph g;
  ir::Node* loop;
  explicit Rnn(std::mt19937& rng) {
    Tensor w = random({K, N}, rng), u = random({N, N}, rng);
    auto args = [](ir::Graph& s) {
      std::vector<ir::Node*> a;
      a.push_back(placeholder(s, "arg0", DType::Int32, {}));
      a.push_back(placeholder(s, "arg1", DType::Float, {T, B, K}));
      a.push_back(placeholder(s, "arg2", DType::Float, {B, N}));
      a.push_back(placeholder(s, "arg3", DType::Float, {K, N}));
      return a;
    };
    auto cond = std::make_shared<ir::Graph>();
    auto ca = args(*cond);
    ir::Node* lim = cond->add_const("T", Tensor::scalar<int32_t>(T));
    output(*cond, "out0", {node(*cond, "less", "Less", {{ca[0], 0}, {lim, 0}}, DType::Int32), 0});
    auto body = std::make_shared<ir::Graph>();
    auto ba = args(*body);
    ir::Node* shape = body->add_const("shape", Tensor::from_vector<int32_t>({2}, {-1, K}));
    ir::Node* gi = body->add_node("x_t", "TensorListGetItem");
    gi->inputs = {{ba[1], 0}, {ba[0], 0}, {shape, 0}};
    gi->set_attr_type("element_dtype", DType::Float);
    ir::Node* xw = node(*body, "xw", "MatMul", {{gi, 0}, {ba[3], 0}});
    ir::Node* uc = body->add_const("U", u);
    ir::Node* hu = node(*body, "hu", "MatMul", {{ba[2], 0}, {uc, 0}});
    ir::Node* h = node(*body, "h", "Tanh", {{node(*body, "z", "AddV2", {{xw, 0}, {hu, 0}}), 0}});
    ir::Node* one = body->add_const("one", Tensor::scalar<int32_t>(1));
    output(*body, "out0", {node(*body, "inc", "AddV2", {{ba[0], 0}, {one, 0}}, DType::Int32), 0});
    output(*body, "out1", {ba[1], 0});
    output(*body, "out2", {h, 0});
    output(*body, "out3", {ba[3], 0});

    ir::Node* x = placeholder(g, "x", DType::Float, {T, B, K});
    ir::Node* h0 = placeholder(g, "h0", DType::Float, {B, N});
    ir::Node* eshape = g.add_const("eshape", Tensor::from_vector<int32_t>({2}, {-1, K}));
    ir::Node* xs = g.add_node("xs", "TensorListFromTensor");
    xs->inputs = {{x, 0}, {eshape, 0}};
    loop = node(g, "rnn", "While", {{g.add_const("zero", Tensor::scalar<int32_t>(0)), 0},
                                    {xs, 0}, {h0, 0}, {g.add_const("W", w), 0}});
    loop->subgraphs = {cond, body};
    output(g, "h", {loop, 2});
  }
};

TEST(HoistInputProjection, ProjectionLeavesTheLoopSameResult) {
  std::mt19937 rng(5);
  Rnn r(rng);
  ShapeInference().run(r.g);
  std::vector<Tensor> in = {random({T, B, K}, rng), random({B, N}, rng)};
  Tensor before = ops::interpret(r.g, in)[0];

  EXPECT_TRUE(HoistInputProjection().run(r.g));
  const ir::Graph& body = *r.loop->subgraphs[ops::kBody];
  EXPECT_EQ(count_op(body, "MatMul"), 1) << "only the recurrent h U stays";
  EXPECT_EQ(r.loop->inputs.size(), 5u);
  EXPECT_EQ(r.loop->subgraphs[ops::kCond]->inputs.size(), 5u);
  EXPECT_EQ(ops::invariant_argument(*r.loop, 4), 4) << "the projected sequence passes through";
  EXPECT_EQ(count_op(r.g, "MatMul"), 1) << "one GEMM over all time steps";
  EXPECT_FALSE(HoistInputProjection().run(r.g)) << "nothing left to hoist";

  ShapeInference().run(r.g);
  DeadCodeElimination().run(r.g);
  EXPECT_EQ(r.loop->outputs[4].str(), "float32[4,2,5]");
  Tensor after = ops::interpret(r.g, in)[0];
  ASSERT_EQ(after.shape(), before.shape());
  for (int64_t i = 0; i < before.num_elements(); ++i)
    EXPECT_NEAR(after.data<float>()[i], before.data<float>()[i], 1e-6) << i;
}

TEST(HoistInputProjection, LoopVariantListIsLeftAlone) {
  std::mt19937 rng(6);
  Rnn r(rng);
  // The body now rewrites the list (out1 = a new list): the projection cannot be precomputed.
  ir::Graph& body = *r.loop->subgraphs[ops::kBody];
  body.outputs[1].value = {node(body, "neg", "Neg", {{body.inputs[1].node, 0}}), 0};
  ShapeInference().run(r.g);
  EXPECT_FALSE(HoistInputProjection().run(r.g));
}

}  // namespace
}  // namespace tfaot::passes
