#include <gtest/gtest.h>

#include "op_test_util.h"
#include "ops/control_flow.h"
#include "ops/op.h"
#include "passes/pipeline.h"

namespace tfaot::test {
namespace {

std::shared_ptr<ir::Graph> take(OpGraph& g) { return std::shared_ptr<ir::Graph>(g.graph().clone()); }

// Adds a conditional over `inputs` (selector first) with the given branches and infers it.
ir::Node* add_conditional(OpGraph& g, const std::string& op, std::vector<ir::Value> inputs,
                          std::vector<OpGraph*> branches) {
  ir::Node* c = g.graph().add_node("cond", op);
  c->inputs = std::move(inputs);
  for (OpGraph* b : branches) c->subgraphs.push_back(take(*b));
  if (op == "Case" || op == "StatelessCase") {
    auto* list = c->attrs["branches"].mutable_list();
    for (size_t k = 0; k < branches.size(); ++k) list->add_func()->set_name("b" + std::to_string(k));
  }
  ops::find_op(op)->infer(*c);
  return c;
}

// then: (x * 2 + y, y);  else: (x - y, y)
void if_branches(OpGraph& then_g, OpGraph& else_g) {
  auto tx = then_g.input(DType::Float, {3});
  auto ty = then_g.input(DType::Float, {3});
  then_g.output(then_g.add("AddV2", {then_g.add("Mul", {tx, then_g.constant(Tensor::scalar<float>(2))}), ty}));
  then_g.output(ty);
  auto ex = else_g.input(DType::Float, {3});
  auto ey = else_g.input(DType::Float, {3});
  else_g.output(else_g.add("Sub", {ex, ey}));
  else_g.output(ey);
}

// Each generated() call compiles: the op/dtype/predicate combinations are spread over few.
TEST(If, RuntimePredicateReferenceAndGenerated) {
  struct Case {
    const char* op;
    DType pt;
    std::vector<int> preds;
  };
  for (const Case& c : {Case{"If", DType::Bool, {1, 0}}, Case{"StatelessIf", DType::Int32, {7}}}) {
    OpGraph then_g, else_g, g;
    if_branches(then_g, else_g);
    auto p = g.input(c.pt, {});
    auto x = g.input(DType::Float, {3});
    auto y = g.input(DType::Float, {3});
    ir::Node* node = add_conditional(g, c.op, {p, x, y}, {&then_g, &else_g});
    EXPECT_EQ(node->outputs[0].str(), "float32[3]");
    g.output({node, 0});
    g.output({node, 1});
    std::vector<Tensor> in = {Tensor(c.pt, {}), Tensor::from_vector<float>({3}, {1, -2, 0.5f}),
                              Tensor::from_vector<float>({3}, {3, 4, -1})};
    for (int pred : c.preds) {
      in[0].set_double(0, pred);
      auto ref = g.reference(in);
      expect_equal(ref[0], pred ? Tensor::from_vector<float>({3}, {5, 0, 0})
                                : Tensor::from_vector<float>({3}, {-2, -6, 1.5f}));
      expect_equal(ref[1], in[2]);
      auto gen = g.generated(in);
      expect_equal(gen[0], ref[0], fmt::format("{} pred={}", c.op, pred));
      expect_equal(gen[1], ref[1]);
    }
  }
}

TEST(If, NonScalarPredicateIsTrueWhenNonEmpty) {
  for (int64_t n : {0, 2}) {
    OpGraph then_g, else_g, g;
    if_branches(then_g, else_g);
    auto p = g.input(DType::Float, {n});
    auto x = g.input(DType::Float, {3});
    auto y = g.input(DType::Float, {3});
    ir::Node* c = add_conditional(g, "If", {p, x, y}, {&then_g, &else_g});
    EXPECT_EQ(ops::static_branch(*c), n ? 0 : 1);
    g.output({c, 0});
    check_generated(g, 3, 0, 0);
  }
}

// Branch k returns x * (k + 1); the index is clamped as TF does (outside [0, N): the last).
TEST(Case, RuntimeIndexReferenceAndGenerated) {
  for (const char* op : {"Case", "StatelessCase"}) {
    std::vector<OpGraph> branches(3);
    std::vector<OpGraph*> ptrs;
    for (int k = 0; k < 3; ++k) {
      auto x = branches[k].input(DType::Float, {2});
      branches[k].output(branches[k].add("Mul", {x, branches[k].constant(Tensor::scalar<float>(k + 1))}));
      ptrs.push_back(&branches[k]);
    }
    OpGraph g;
    auto idx = g.input(DType::Int32, {});
    auto x = g.input(DType::Float, {2});
    ir::Node* c = add_conditional(g, op, {idx, x}, ptrs);
    g.output({c, 0});
    for (int i : {0, 1, 2, 3, -1}) {
      std::vector<Tensor> in = {Tensor::scalar<int32_t>(i), Tensor::from_vector<float>({2}, {1.5f, -2})};
      float f = (i >= 0 && i < 3) ? static_cast<float>(i + 1) : 3.0f;
      auto ref = g.reference(in);
      expect_equal(ref[0], Tensor::from_vector<float>({2}, {1.5f * f, -2 * f}));
      // One compile per op: an in-range and an out-of-range index.
      if ((op[0] == 'C' && i == 1) || (op[0] == 'S' && i == -1))
        expect_equal(g.generated(in)[0], ref[0], fmt::format("{} index {}", op, i));
    }
  }
}

// A constant predicate folds the conditional away; the untaken branch (whose output type
// differs) is never specialized.
TEST(If, ConstantPredicateIsFolded) {
  for (bool pred : {true, false}) {
    OpGraph then_g, else_g, g;
    auto tx = then_g.input(DType::Float, {3});
    then_g.output(then_g.add("Neg", {tx}));
    auto ex = else_g.input(DType::Float, {3});
    else_g.output(else_g.add("Sum", {ex, else_g.constant(Tensor::scalar<int32_t>(0))}));
    auto x = g.input(DType::Float, {3});
    ir::Node* c = add_conditional(g, "StatelessIf", {g.constant(Tensor::scalar<bool>(pred)), x},
                                  {&then_g, &else_g});
    EXPECT_EQ(c->outputs[0].str(), pred ? "float32[3]" : "float32[]");
    g.output({c, 0});
    passes::optimize(g.graph());
    for (const auto& n : g.graph().nodes()) EXPECT_NE(n->op, "StatelessIf");
    std::vector<Tensor> in = {Tensor::from_vector<float>({3}, {1, 2, 4})};
    expect_equal(g.generated(in)[0], pred ? Tensor::from_vector<float>({3}, {-1, -2, -4})
                                          : Tensor::scalar<float>(7));
  }
}

TEST(If, BranchTypeMismatchIsAnError) {
  OpGraph then_g, else_g, g;
  auto tx = then_g.input(DType::Float, {3});
  then_g.output(then_g.add("Neg", {tx}));
  auto ex = else_g.input(DType::Float, {3});
  else_g.output(else_g.add("Sum", {ex, else_g.constant(Tensor::scalar<int32_t>(0))}));
  expect_error([&] { add_conditional(g, "If", {g.input(DType::Bool, {}), g.input(DType::Float, {3})},
                                     {&then_g, &else_g}); },
               {"'cond'", "output 0", "float32[3]", "float32[]"});
}

// while (i < 5) { acc = (i % 2 == 0) ? acc * 2 : acc + 1; i += 1; } -- an If in a loop body.
TEST(If, InsideWhileBody) {
  auto i32 = [](OpGraph& g, int32_t v) { return g.constant(Tensor::scalar<int32_t>(v)); };
  OpGraph then_g, else_g, cond, body, g;
  auto ta = then_g.input(DType::Float, {2});
  then_g.output(then_g.add("Mul", {ta, then_g.constant(Tensor::scalar<float>(2))}));
  auto ea = else_g.input(DType::Float, {2});
  else_g.output(else_g.add("AddV2", {ea, else_g.constant(Tensor::scalar<float>(1))}));
  auto ci = cond.input(DType::Int32, {});
  cond.input(DType::Float, {2});
  cond.output(cond.add("Less", {ci, i32(cond, 5)}));
  auto bi = body.input(DType::Int32, {});
  auto ba = body.input(DType::Float, {2});
  auto even = body.add("Equal", {body.add("FloorMod", {bi, i32(body, 2)}), i32(body, 0)});
  ir::Node* c = add_conditional(body, "If", {even, ba}, {&then_g, &else_g});
  body.output(body.add("AddV2", {bi, i32(body, 1)}));
  body.output({c, 0});
  ir::Node* w = g.graph().add_node("loop", "While");
  w->inputs = {g.input(DType::Int32, {}), g.input(DType::Float, {2})};
  w->subgraphs = {take(cond), take(body)};
  ops::find_op("While")->infer(*w);
  g.output({w, 1});
  std::vector<Tensor> in = {Tensor::scalar<int32_t>(0), Tensor::from_vector<float>({2}, {1, -3})};
  // i = 0..4: *2, +1, *2, +1, *2: 1 -> 2, 3, 6, 7, 14 and -3 -> -6, -5, -10, -9, -18
  auto ref = g.reference(in);
  expect_equal(ref[0], Tensor::from_vector<float>({2}, {14, -18}));
  expect_equal(g.generated(in)[0], ref[0]);
}

}  // namespace
}  // namespace tfaot::test
