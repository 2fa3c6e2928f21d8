#include "passes/pipeline.h"

#include <gtest/gtest.h>

#include "passes/test_graphs.h"

namespace tfaot::passes {
using namespace testing;

TEST(Specialize, LeadingUnknownDimBecomesBatch) {
  ir::Graph g;
  ir::Node* x = placeholder(g, "x", DType::Float, {-1, 4});
  output(g, "y", {x, 0});
  specialize(g, {.batch_size = 8, .input_shapes = {}});
  EXPECT_EQ(x->outputs[0].shape, (Shape{8, 4}));
}

TEST(Specialize, InnerUnknownDimIsAnErrorNamingTheInput) {
  ir::Graph g;
  placeholder(g, "seq", DType::Float, {-1, -1, 3});
  try {
    specialize(g, {.batch_size = 1, .input_shapes = {}});
    FAIL() << "expected an error";
  } catch (const Error& e) {
    EXPECT_NE(std::string(e.what()).find("'seq'"), std::string::npos) << e.what();
    EXPECT_NE(std::string(e.what()).find("input_shapes"), std::string::npos) << e.what();
  }
}

TEST(Specialize, InputShapesPinUnknownDims) {
  ir::Graph g;
  ir::Node* x = placeholder(g, "seq", DType::Float, {-1, -1, 3});
  specialize(g, {.batch_size = 2, .input_shapes = {{"seq", {-1, 10, 3}}}});
  EXPECT_EQ(x->outputs[0].shape, (Shape{2, 10, 3}));
  EXPECT_THROW(specialize(g, {.batch_size = 2, .input_shapes = {{"seq", {-1, 10, 4}}}}), Error);
}

TEST(Optimize, UnsupportedOpIsNamed) {
  ir::Graph g;
  ir::Node* x = placeholder(g, "x", DType::Float, {2});
  ir::Node* n = node(g, "weird", "NoSuchOp", {{x, 0}});
  output(g, "y", {n, 0});
  try {
    optimize(g);
    FAIL() << "expected an error";
  } catch (const Error& e) {
    EXPECT_NE(std::string(e.what()).find("NoSuchOp"), std::string::npos);
    EXPECT_NE(std::string(e.what()).find("weird"), std::string::npos);
  }
}

TEST(Optimize, DeadUnsupportedOpIsIgnored) {
  ir::Graph g;
  ir::Node* x = placeholder(g, "x", DType::Float, {2});
  node(g, "weird", "NoSuchOp", {{x, 0}});
  output(g, "y", {x, 0});
  EXPECT_NO_THROW(optimize(g));
  EXPECT_EQ(g.find("weird"), nullptr);
}

}  // namespace tfaot::passes
