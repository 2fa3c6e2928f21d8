#include "passes/switch_merge_resolution.h"

#include <gtest/gtest.h>

#include "passes/test_graphs.h"

namespace tfaot::passes {
using namespace testing;

namespace {
// x -> Switch(pred) -> {false: Neg, true: Tanh} -> Merge -> y
struct Cond {
  ir::Graph g;
  ir::Node *x, *sw, *f, *t, *merge;
  explicit Cond(bool pred) {
    x = placeholder(g, "x", DType::Float, {2});
    ir::Node* p = g.add_const("learning_phase", Tensor::scalar<bool>(pred));
    sw = node(g, "switch", "Switch", {{x, 0}, {p, 0}});
    f = node(g, "inference", "Neg", {{sw, 0}});
    t = node(g, "training", "Tanh", {{sw, 1}});
    merge = node(g, "merge", "Merge", {{f, 0}, {t, 0}});
    output(g, "y", {merge, 0});
  }
};
}  // namespace

TEST(SwitchMergeResolution, FalsePredicateTakesOutputZero) {
  Cond c(false);
  SwitchMergeResolution pass;
  EXPECT_TRUE(pass.run(c.g));
  EXPECT_EQ(c.g.outputs[0].value.node, c.f);
  EXPECT_EQ(c.f->inputs[0].node, c.x);
  EXPECT_FALSE(pass.run(c.g)) << "nothing left to resolve";
}

TEST(SwitchMergeResolution, TruePredicateTakesOutputOne) {
  Cond c(true);
  EXPECT_TRUE(SwitchMergeResolution().run(c.g));
  EXPECT_EQ(c.g.outputs[0].value.node, c.t);
}

TEST(SwitchMergeResolution, NonConstantPredicateIsLeftAlone) {
  ir::Graph g;
  ir::Node* x = placeholder(g, "x", DType::Float, {2});
  ir::Node* p = placeholder(g, "p", DType::Bool, {});
  ir::Node* sw = node(g, "switch", "Switch", {{x, 0}, {p, 0}});
  ir::Node* merge = node(g, "merge", "Merge", {{sw, 0}, {sw, 1}});
  output(g, "y", {merge, 0});
  EXPECT_FALSE(SwitchMergeResolution().run(g));
}

TEST(SwitchMergeResolution, DeadOutputIsAnError) {
  Cond c(true);
  output(c.g, "z", {c.f, 0});  // only exists on the false branch
  EXPECT_THROW(SwitchMergeResolution().run(c.g), Error);
}

}  // namespace tfaot::passes
