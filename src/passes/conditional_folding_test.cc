#include "passes/conditional_folding.h"

#include <gtest/gtest.h>

#include "passes/test_graphs.h"

namespace tfaot::passes {
using namespace testing;

namespace {

// y = If(p, x, z) with then = (Neg(x), z), else = (Tanh(x), z); or a Case over the same two.
struct Conditional {
  ir::Graph g;
  ir::Node *x, *z, *cond;
  Conditional(const std::string& op, ir::Node* (*selector)(ir::Graph&)) {
    auto branch = [](const char* fn) {
      auto s = std::make_shared<ir::Graph>();
      ir::Node* a = placeholder(*s, "arg0", DType::Float, {2});
      ir::Node* b = placeholder(*s, "arg1", DType::Float, {2});
      output(*s, "out0", {node(*s, "f", fn, {{a, 0}}), 0});
      output(*s, "out1", {b, 0});
      return s;
    };
    x = placeholder(g, "x", DType::Float, {2});
    z = placeholder(g, "z", DType::Float, {2});
    cond = node(g, "cond", op, {{selector(g), 0}, {x, 0}, {z, 0}});
    cond->subgraphs = {branch("Neg"), branch("Tanh")};
    if (op == "Case") {
      auto* list = cond->attrs["branches"].mutable_list();
      list->add_func()->set_name("b0");
      list->add_func()->set_name("b1");
    }
    output(g, "y", {cond, 0});
    output(g, "w", {cond, 1});
  }
};

ir::Node* true_pred(ir::Graph& g) { return g.add_const("p", Tensor::scalar<bool>(true)); }
ir::Node* zero_pred(ir::Graph& g) { return g.add_const("p", Tensor::scalar<float>(0)); }
ir::Node* index_5(ir::Graph& g) { return g.add_const("i", Tensor::scalar<int32_t>(5)); }
ir::Node* runtime_pred(ir::Graph& g) { return placeholder(g, "p", DType::Bool, {}); }

TEST(ConditionalFolding, ConstantPredicateInlinesTheTakenBranch) {
  Conditional c("If", true_pred);
  EXPECT_TRUE(ConditionalFolding().run(c.g));
  const ir::Node* y = c.g.outputs[0].value.node;
  EXPECT_EQ(y->op, "Neg");
  EXPECT_EQ(y->name, "cond/f");
  EXPECT_EQ(y->inputs[0].node, c.x);
  EXPECT_EQ(c.g.outputs[1].value.node, c.z) << "a pass-through output reads the argument";
}

TEST(ConditionalFolding, ZeroScalarPredicateTakesElse) {
  Conditional c("StatelessIf", zero_pred);
  EXPECT_TRUE(ConditionalFolding().run(c.g));
  EXPECT_EQ(c.g.outputs[0].value.node->op, "Tanh");
}

TEST(ConditionalFolding, CaseIndexOutOfRangeTakesTheLastBranch) {
  Conditional c("Case", index_5);
  EXPECT_TRUE(ConditionalFolding().run(c.g));
  EXPECT_EQ(c.g.outputs[0].value.node->op, "Tanh");
}

TEST(ConditionalFolding, RuntimePredicateIsLeftAlone) {
  Conditional c("If", runtime_pred);
  EXPECT_FALSE(ConditionalFolding().run(c.g));
  EXPECT_EQ(c.g.outputs[0].value.node, c.cond);
}

}  // namespace
}  // namespace tfaot::passes
