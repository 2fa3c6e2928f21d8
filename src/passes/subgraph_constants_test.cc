#include "passes/subgraph_constants.h"

#include <gtest/gtest.h>

#include "passes/pipeline.h"
#include "passes/test_graphs.h"

namespace tfaot::passes {
using namespace testing;

namespace {

// A While over (x, p, n) whose body holds a TF1 conditional on the pass-through p (a Keras
// learning phase Enter'd into the loop): x' = p ? Tanh(x) : Neg(x); n' = n + 1 (changes).
struct Loop {
  ir::Graph g;
  ir::Node* loop;
  ir::Graph* body;
  explicit Loop(bool pinned) {
    auto sub = [](bool is_body) {
      auto s = std::make_shared<ir::Graph>();
      ir::Node* x = placeholder(*s, "arg0", DType::Float, {2});
      ir::Node* p = placeholder(*s, "arg1", DType::Bool, {});
      ir::Node* n = placeholder(*s, "arg2", DType::Int32, {});
      if (!is_body) {
        output(*s, "out0", {node(*s, "less", "Less", {{n, 0}, {n, 0}}, DType::Int32), 0});
        return s;
      }
      ir::Node* sw = node(*s, "switch", "Switch", {{x, 0}, {p, 0}});
      ir::Node* f = node(*s, "inference", "Neg", {{sw, 0}});
      ir::Node* t = node(*s, "training", "Tanh", {{sw, 1}});
      ir::Node* merge = node(*s, "merge", "Merge", {{f, 0}, {t, 0}});
      ir::Node* one = s->add_const("one", Tensor::scalar<int32_t>(1));
      output(*s, "out0", {merge, 0});
      output(*s, "out1", {p, 0});
      output(*s, "out2", {node(*s, "inc", "AddV2", {{n, 0}, {one, 0}}, DType::Int32), 0});
      return s;
    };
    ir::Node* x = placeholder(g, "x", DType::Float, {2});
    ir::Node* p = pinned ? g.add_const("learning_phase", Tensor::scalar<bool>(false))
                         : placeholder(g, "learning_phase", DType::Bool, {});
    ir::Node* n = g.add_const("n", Tensor::scalar<int32_t>(0));
    loop = node(g, "loop", "While", {{x, 0}, {p, 0}, {n, 0}});
    loop->subgraphs = {sub(false), sub(true)};
    body = loop->subgraphs[1].get();
    output(g, "y", {loop, 0});
  }
};

TEST(SubgraphConstants, PassThroughConstantReachesTheBody) {
  Loop l(true);
  EXPECT_TRUE(SubgraphConstants().run(l.g));
  const ir::Node* sw = l.body->find("switch");
  ASSERT_TRUE(sw->inputs[1].node->is_const());
  EXPECT_FALSE(sw->inputs[1].node->value->data<bool>()[0]);
  // The interface is unchanged: out1 still forwards the argument (pass-through).
  EXPECT_EQ(l.body->outputs[1].value.node, l.body->inputs[1].node);
  // n is constant too, but the body changes it: not substituted.
  EXPECT_EQ(l.body->find("inc")->inputs[0].node, l.body->inputs[2].node);
  EXPECT_FALSE(SubgraphConstants().run(l.g)) << "nothing left to substitute";
}

TEST(SubgraphConstants, RuntimeValueIsLeftAlone) {
  Loop l(false);
  EXPECT_FALSE(SubgraphConstants().run(l.g));
}

TEST(SubgraphConstants, PinnedConditionalInsideALoopIsResolved) {
  Loop l(true);
  resolve_constant_control_flow(l.g);
  EXPECT_EQ(count_op(*l.body, "Switch"), 0);
  EXPECT_EQ(count_op(*l.body, "Merge"), 0);
  EXPECT_EQ(count_op(*l.body, "Tanh"), 0) << "the training branch is dead";
  EXPECT_EQ(l.body->outputs[0].value.node->op, "Neg");
}

}  // namespace
}  // namespace tfaot::passes
