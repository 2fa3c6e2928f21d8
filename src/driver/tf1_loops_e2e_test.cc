// TF1 loop frames end to end: a hand-built frozen GraphDef with nested frames and a Keras-style
// learning-phase conditional inside the inner body goes through load -> specialize -> optimize,
// and the generated code must match the reference interpreter and the hand-computed value.
#include <gtest/gtest.h>

#include "backend/jit.h"
#include "frontend/loader.h"
#include "frontend/test_fixtures.h"
#include "ops/interpreter.h"
#include "passes/pipeline.h"
#include "test_util.h"

namespace tfaot {
namespace {

using namespace frontend::fixtures;

// acc = 0; for i in [0, 3): { a = acc; j = 0; while j <= i: { a += lp ? -x : x; j += 1 };
// acc = a }  ->  acc = 6 x with the learning phase lp pinned to false.
Tf1Graph nested_loops_with_conditional() {
  Tf1Graph b;
  b.add("x", "Placeholder", {}, {{"dtype", type_attr(DType::Float)}, {"shape", shape_attr({2})}});
  b.add("lp", "Placeholder", {}, {{"dtype", type_attr(DType::Bool)}, {"shape", shape_attr({})}});
  b.cst("zero", Tensor::scalar<int32_t>(0));
  b.cst("three", Tensor::scalar<int32_t>(3));
  b.cst("fzero", Tensor::from_vector<float>({2}, {0, 0}));
  b.var("outer", "i", "zero", "outer/inc", DType::Int32);
  b.var("outer", "acc", "fzero", "outer/acc_new", DType::Float);
  b.enter("outer/lim", "three", "outer", DType::Int32, true);
  b.enter("outer/x", "x", "outer", DType::Float, true);
  b.enter("outer/lp", "lp", "outer", DType::Bool, true);
  b.add("outer/Less", "Less", {"outer/i_merge", "outer/lim"}, t_of(DType::Int32));
  b.add("outer/LoopCond", "LoopCond", {"outer/Less"});
  b.cst("outer/one", Tensor::scalar<int32_t>(1), {"outer/i_id"});
  b.cst("outer/jzero", Tensor::scalar<int32_t>(0), {"outer/i_id"});
  b.var("outer/inner", "j", "outer/jzero", "outer/inner/inc", DType::Int32);
  b.var("outer/inner", "a", "outer/acc_id", "outer/inner/sum", DType::Float);
  b.enter("outer/inner/lim", "outer/i_id", "outer/inner", DType::Int32, true);
  b.enter("outer/inner/x", "outer/x", "outer/inner", DType::Float, true);
  b.enter("outer/inner/lp", "outer/lp", "outer/inner", DType::Bool, true);
  b.add("outer/inner/LessEqual", "LessEqual", {"outer/inner/j_merge", "outer/inner/lim"},
        t_of(DType::Int32));
  b.add("outer/inner/LoopCond", "LoopCond", {"outer/inner/LessEqual"});
  b.cst("outer/inner/one", Tensor::scalar<int32_t>(1), {"outer/inner/j_id"});
  b.add("outer/inner/inc", "AddV2", {"outer/inner/j_id", "outer/inner/one"}, t_of(DType::Int32));
  b.add("outer/inner/cond/Switch", "Switch", {"outer/inner/x", "outer/inner/lp"}, t_of(DType::Float));
  b.add("outer/inner/cond/training", "Neg", {"outer/inner/cond/Switch:1"}, t_of(DType::Float));
  b.add("outer/inner/cond/inference", "Identity", {"outer/inner/cond/Switch"}, t_of(DType::Float));
  b.add("outer/inner/cond/Merge", "Merge", {"outer/inner/cond/inference", "outer/inner/cond/training"},
        {{"T", type_attr(DType::Float)}, {"N", i_attr(2)}});
  b.add("outer/inner/sum", "AddV2", {"outer/inner/a_id", "outer/inner/cond/Merge"},
        t_of(DType::Float));
  b.add("outer/acc_new", "Identity", {"outer/inner/a_exit"}, t_of(DType::Float));
  b.add("outer/inc", "AddV2", {"outer/i_id", "outer/one"}, t_of(DType::Int32));
  b.add("out", "Identity", {"outer/acc_exit"}, t_of(DType::Float));
  return b;
}

TEST(Tf1LoopsEndToEnd, NestedFramesWithPinnedConditionalMatchReference) {
  test::TempDir dir;
  write_proto(dir.path() / "loops.pb", nested_loops_with_conditional().g, false);
  frontend::LoadOptions o;
  o.path = dir.path() / "loops.pb";
  o.inputs = {"x"};
  o.outputs = {"out"};
  o.pinned.emplace("lp:0", Tensor::scalar<bool>(false));
  auto g = frontend::load_model(o);
  passes::specialize(*g, {});
  passes::optimize(*g);
  int whiles = 0;
  for (const auto& n : g->nodes()) whiles += n->op == "While";
  EXPECT_EQ(whiles, 1) << "the inner loop lives in the outer body";
  std::vector<Tensor> in = {Tensor::from_vector<float>({2}, {1.5f, -0.25f})};
  auto ref = ops::interpret(*g, in);
  ASSERT_EQ(ref.size(), 1u);
  EXPECT_EQ(ref[0], Tensor::from_vector<float>({2}, {9, -1.5f}));
  auto gen = backend::run_generated(*g, in);
  EXPECT_EQ(gen[0], ref[0]);
}

}  // namespace
}  // namespace tfaot
