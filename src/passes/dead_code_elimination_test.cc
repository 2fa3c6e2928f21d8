#include "passes/dead_code_elimination.h"

#include <gtest/gtest.h>

#include "passes/test_graphs.h"

namespace tfaot::passes {
using namespace testing;

TEST(DeadCodeElimination, RemovesUnusedNodesAndControlEdges) {
  ir::Graph g;
  ir::Node* x = placeholder(g, "x", DType::Float, {2});
  ir::Node* used = node(g, "used", "Neg", {{x, 0}});
  ir::Node* dead = node(g, "dead", "Neg", {{x, 0}});
  ir::Node* noop = g.add_node("noop", "NoOp");
  used->control_inputs.push_back(noop);
  output(g, "y", {used, 0});

  DeadCodeElimination dce;
  EXPECT_TRUE(dce.run(g));
  EXPECT_EQ(g.find("dead"), nullptr);
  EXPECT_EQ(g.find("noop"), nullptr);
  EXPECT_TRUE(used->control_inputs.empty());
  EXPECT_NE(g.find("x"), nullptr);
  (void)dead;
  EXPECT_FALSE(dce.run(g)) << "second run must report no change";
}

TEST(DeadCodeElimination, KeepsUnusedSignatureInputs) {
  ir::Graph g;
  ir::Node* x = placeholder(g, "x", DType::Float, {2});
  placeholder(g, "unused", DType::Float, {2});
  output(g, "y", {x, 0});
  DeadCodeElimination dce;
  EXPECT_FALSE(dce.run(g));
  EXPECT_NE(g.find("unused"), nullptr);
}

}  // namespace tfaot::passes
