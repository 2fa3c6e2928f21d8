// TF1 loop frames -> functional While, on hand-built TF1 GraphDefs shaped like
// tf.compat.v1.while_loop's output: a counter, an invariant input, nested loops, TensorArrays.
#include "frontend/tf1_loops.h"

#include <gtest/gtest.h>

#include "frontend/loader.h"
#include "frontend/test_fixtures.h"
#include "test_util.h"

namespace tfaot::frontend {
namespace {

using namespace fixtures;
using tensorflow::GraphDef;

using Builder = Tf1Graph;

const NodeDef* find(const GraphDef& g, const std::string& name) {
  for (const auto& n : g.node())
    if (n.name() == name) return &n;
  return nullptr;
}
const tensorflow::FunctionDef* fn(const GraphDef& g, const std::string& name) {
  for (const auto& f : g.library().function())
    if (f.signature().name() == name) return &f;
  return nullptr;
}
const NodeDef* fn_node(const tensorflow::FunctionDef& f, const std::string& name) {
  for (const auto& n : f.node_def())
    if (n.name() == name) return &n;
  return nullptr;
}
std::vector<std::string> inputs(const NodeDef& n) { return {n.input().begin(), n.input().end()}; }
std::vector<int> types(const AttrValue& a) { return {a.list().type().begin(), a.list().type().end()}; }
std::multiset<std::string> ops_of(const GraphDef& g) {
  std::multiset<std::string> s;
  for (const auto& n : g.node()) s.insert(n.op());
  return s;
}
const std::set<std::string> kTf1 = {"Enter", "Merge", "Switch", "Exit", "NextIteration", "LoopCond"};

// i = 0; while i < limit: i += 1   (limit a loop-invariant Enter)
Builder counter() {
  Builder b;
  b.cst("zero", Tensor::scalar<int32_t>(0));
  b.cst("limit", Tensor::scalar<int32_t>(10));
  b.var("while", "i", "zero", "while/add", DType::Int32);
  b.enter("while/limit_enter", "limit", "while", DType::Int32, true);
  b.add("while/Less", "Less", {"while/i_merge", "while/limit_enter"}, t_of(DType::Int32));
  b.add("while/LoopCond", "LoopCond", {"while/Less"});
  b.cst("while/one", Tensor::scalar<int32_t>(1), {"while/i_id"});
  b.add("while/add", "AddV2", {"while/i_id", "while/one"}, t_of(DType::Int32));
  b.add("out", "Identity", {"while/i_exit"}, t_of(DType::Int32));
  return b;
}

TEST(Tf1Loops, CounterLoopBecomesWhileWithCondAndBody) {
  Builder b = counter();
  ASSERT_TRUE(functionalize_tf1_loops(b.g, "test.pb"));
  for (const auto& n : b.g.node()) EXPECT_FALSE(kTf1.count(n.op())) << n.name();
  const NodeDef* w = find(b.g, "while");
  ASSERT_NE(w, nullptr);
  EXPECT_EQ(w->op(), "While");
  EXPECT_EQ(inputs(*w), (std::vector<std::string>{"zero", "limit"}));
  EXPECT_EQ(types(w->attr().at("T")), (std::vector<int>{tensorflow::DT_INT32, tensorflow::DT_INT32}));
  EXPECT_EQ(w->attr().at("parallel_iterations").i(), 32);
  EXPECT_EQ(inputs(*find(b.g, "out")), (std::vector<std::string>{"while:0"}));
  const auto* cond = fn(b.g, w->attr().at("cond").func().name());
  const auto* body = fn(b.g, w->attr().at("body").func().name());
  ASSERT_TRUE(cond && body);
  ASSERT_EQ(cond->signature().input_arg_size(), 2);
  ASSERT_EQ(cond->signature().output_arg_size(), 1);
  EXPECT_EQ(cond->signature().output_arg(0).type(), tensorflow::DT_BOOL);
  const NodeDef* less = fn_node(*cond, "while/Less");
  ASSERT_NE(less, nullptr);
  EXPECT_EQ(inputs(*less), (std::vector<std::string>{"arg0", "arg1"}));
  EXPECT_EQ(cond->ret().at("cond"), "while/Less:z:0");
  EXPECT_EQ(cond->node_def_size(), 1);
  ASSERT_EQ(body->signature().input_arg_size(), 2);
  ASSERT_EQ(body->signature().output_arg_size(), 2);
  EXPECT_EQ(inputs(*fn_node(*body, "while/i_id")), (std::vector<std::string>{"arg0"}));
  EXPECT_EQ(inputs(*fn_node(*body, "while/one")), (std::vector<std::string>{"^while/i_id"}));
  EXPECT_EQ(inputs(*fn_node(*body, "while/add")),
            (std::vector<std::string>{"while/i_id:output:0", "while/one:output:0"}));
  EXPECT_EQ(body->ret().at("out0"), "while/add:z:0");
  EXPECT_EQ(body->ret().at("out1"), "arg1");  // the invariant passes through
}

TEST(Tf1Loops, FrozenGraphLoadsWithAWhileNode) {
  test::TempDir dir;
  Builder b = counter();
  write_proto(dir.path() / "loop.pb", b.g, false);
  LoadOptions o;
  o.path = dir.path() / "loop.pb";
  o.outputs = {"out"};
  auto g = load_model(o);
  int whiles = 0;
  for (const auto& n : g->nodes()) {
    EXPECT_FALSE(kTf1.count(n->op)) << n->name;
    whiles += n->op == "While";
  }
  EXPECT_EQ(whiles, 1);
  ASSERT_TRUE(g->library);
  EXPECT_EQ(g->library->function_size(), 2);
}

TEST(Tf1Loops, CapturedAndSourceConstantsAndUnusedInvariants) {
  // acc = 0.; i = 0; while i < 3: acc += x * 2; i += 1  with x used directly (no Enter, as
  // some freezers leave it) and an invariant Enter nobody uses.
  Builder b;
  b.add("x", "Placeholder", {}, {{"dtype", type_attr(DType::Float)}});
  b.cst("zero", Tensor::scalar<int32_t>(0));
  b.cst("fzero", Tensor::scalar<float>(0));
  b.cst("three", Tensor::scalar<int32_t>(3));
  b.cst("two", Tensor::scalar<float>(2));
  b.var("w", "i", "zero", "w/inc", DType::Int32);
  b.var("w", "acc", "fzero", "w/sum", DType::Float);
  b.enter("w/lim", "three", "w", DType::Int32, true);
  b.enter("w/unused", "two", "w", DType::Float, true);
  b.add("w/Less", "Less", {"w/i_merge", "w/lim"}, t_of(DType::Int32));
  b.add("w/LoopCond", "LoopCond", {"w/Less"});
  b.cst("w/one", Tensor::scalar<int32_t>(1), {"w/i_id"});
  b.add("w/inc", "AddV2", {"w/i_id", "w/one"}, t_of(DType::Int32));
  b.add("w/scaled", "Mul", {"x", "two"}, t_of(DType::Float));
  b.add("w/sum", "AddV2", {"w/acc_id", "w/scaled"}, t_of(DType::Float));
  b.add("out", "Identity", {"w/acc_exit"}, t_of(DType::Float));
  // Mul(x, two) has no loop input: as TensorFlow's frame analysis it is not in the loop.
  // Use it through a loop node instead to force a capture.
  b.g.mutable_node(static_cast<int>(b.g.node_size()) - 3)->add_input("^w/i_id");
  ASSERT_TRUE(functionalize_tf1_loops(b.g, "t.pb"));
  const NodeDef* w = find(b.g, "w");
  ASSERT_NE(w, nullptr);
  // vars i, acc; invariant lim (used by cond); x captured; 'two' copied; 'unused' dropped.
  EXPECT_EQ(inputs(*w), (std::vector<std::string>{"zero", "fzero", "three", "x:0"}));
  const auto* body = fn(b.g, w->attr().at("body").func().name());
  ASSERT_NE(body, nullptr);
  EXPECT_NE(fn_node(*body, "two"), nullptr);
  EXPECT_EQ(inputs(*fn_node(*body, "w/scaled")),
            (std::vector<std::string>{"arg3", "two:output:0", "^w/i_id"}));
  EXPECT_EQ(body->ret().at("out2"), "arg2");
  EXPECT_EQ(body->ret().at("out3"), "arg3");
  EXPECT_EQ(inputs(*find(b.g, "out")), (std::vector<std::string>{"w:1"}));
}

TEST(Tf1Loops, NestedLoopsInnerFirst) {
  // i = 0; acc = 0; while i < 3: { j = 0; while j < i: j += 1 }; acc += j; i += 1
  Builder b;
  b.cst("zero", Tensor::scalar<int32_t>(0));
  b.cst("three", Tensor::scalar<int32_t>(3));
  b.var("outer", "i", "zero", "outer/inc", DType::Int32);
  b.var("outer", "acc", "zero", "outer/sum", DType::Int32);
  b.enter("outer/lim", "three", "outer", DType::Int32, true);
  b.add("outer/Less", "Less", {"outer/i_merge", "outer/lim"}, t_of(DType::Int32));
  b.add("outer/LoopCond", "LoopCond", {"outer/Less"});
  b.cst("outer/one", Tensor::scalar<int32_t>(1), {"outer/i_id"});
  b.cst("outer/jzero", Tensor::scalar<int32_t>(0), {"outer/i_id"});
  b.var("outer/inner", "j", "outer/jzero", "outer/inner/inc", DType::Int32);
  b.enter("outer/inner/lim", "outer/i_id", "outer/inner", DType::Int32, true);
  b.add("outer/inner/Less", "Less", {"outer/inner/j_merge", "outer/inner/lim"}, t_of(DType::Int32));
  b.add("outer/inner/LoopCond", "LoopCond", {"outer/inner/Less"});
  b.cst("outer/inner/one", Tensor::scalar<int32_t>(1), {"outer/inner/j_id"});
  b.add("outer/inner/inc", "AddV2", {"outer/inner/j_id", "outer/inner/one"}, t_of(DType::Int32));
  b.add("outer/sum", "AddV2", {"outer/acc_id", "outer/inner/j_exit"}, t_of(DType::Int32));
  b.add("outer/inc", "AddV2", {"outer/i_id", "outer/one"}, t_of(DType::Int32));
  b.add("out", "Identity", {"outer/acc_exit"}, t_of(DType::Int32));
  ASSERT_TRUE(functionalize_tf1_loops(b.g, "t.pb"));
  std::multiset<std::string> ops = ops_of(b.g);
  EXPECT_EQ(ops.count("While"), 1u);
  for (const auto& op : kTf1) EXPECT_EQ(ops.count(op), 0u) << op;
  const NodeDef* w = find(b.g, "outer");
  ASSERT_NE(w, nullptr);
  const auto* body = fn(b.g, w->attr().at("body").func().name());
  ASSERT_NE(body, nullptr);
  const NodeDef* inner = fn_node(*body, "outer/inner");
  ASSERT_NE(inner, nullptr);
  EXPECT_EQ(inner->op(), "While");
  // Inner loop: var j from the body's constant, invariant limit = the outer i.
  EXPECT_EQ(inputs(*inner), (std::vector<std::string>{"outer/jzero:output:0", "outer/i_id:output:0"}));
  EXPECT_EQ(inputs(*fn_node(*body, "outer/sum")),
            (std::vector<std::string>{"outer/acc_id:output:0", "outer/inner:output:0"}));
  const auto* inner_body = fn(b.g, inner->attr().at("body").func().name());
  ASSERT_NE(inner_body, nullptr);
  EXPECT_NE(fn_node(*inner_body, "outer/inner/inc"), nullptr);
  EXPECT_EQ(b.g.library().function_size(), 4);
}

TEST(Tf1Loops, TensorArraysBecomeTensorLists) {
  // out = stack([x[t] * 2 for t in range(3)]) with TensorArrayV3 unstack / read / write / stack.
  Builder b;
  b.add("x", "Placeholder", {}, {{"dtype", type_attr(DType::Float)}, {"shape", shape_attr({3, 2})}});
  b.cst("zero", Tensor::scalar<int32_t>(0));
  b.cst("one", Tensor::scalar<int32_t>(1));
  b.cst("n", Tensor::scalar<int32_t>(3));
  AttrValue unknown;
  unknown.mutable_shape()->set_unknown_rank(true);
  Attrs ta = {{"dtype", type_attr(DType::Float)}, {"element_shape", unknown},
              {"dynamic_size", b_attr(false)}};
  b.add("ta_out", "TensorArrayV3", {"n"}, ta);
  b.add("ta_in", "TensorArrayV3", {"n"}, ta);
  b.add("range", "Range", {"zero", "n", "one"});
  b.add("scatter", "TensorArrayScatterV3", {"ta_in", "range", "x", "ta_in:1"}, t_of(DType::Float));
  b.var("w", "t", "zero", "w/inc", DType::Int32);
  b.var("w", "flow", "ta_out:1", "w/write", DType::Float);
  b.enter("w/lim", "n", "w", DType::Int32, true);
  b.enter("w/h_in", "ta_in", "w", DType::Resource, true);
  b.enter("w/flow_in", "scatter", "w", DType::Float, true);
  b.enter("w/h_out", "ta_out", "w", DType::Resource, true);
  b.add("w/Less", "Less", {"w/t_merge", "w/lim"}, t_of(DType::Int32));
  b.add("w/LoopCond", "LoopCond", {"w/Less"});
  b.add("w/read", "TensorArrayReadV3", {"w/h_in", "w/t_id", "w/flow_in"},
        {{"dtype", type_attr(DType::Float)}});
  b.cst("w/two", Tensor::scalar<float>(2), {"w/t_id"});
  b.add("w/mul", "Mul", {"w/read", "w/two"}, t_of(DType::Float));
  b.add("w/write", "TensorArrayWriteV3", {"w/h_out", "w/t_id", "w/mul", "w/flow_id"},
        t_of(DType::Float));
  b.cst("w/one", Tensor::scalar<int32_t>(1), {"w/t_id"});
  b.add("w/inc", "AddV2", {"w/t_id", "w/one"}, t_of(DType::Int32));
  b.add("size", "TensorArraySizeV3", {"ta_out", "w/flow_exit"});
  b.add("range2", "Range", {"zero", "size", "one"});
  b.add("gather", "TensorArrayGatherV3", {"ta_out", "range2", "w/flow_exit"},
        {{"dtype", type_attr(DType::Float)}, {"element_shape", shape_attr({2})}});
  b.add("out", "Identity", {"gather"}, t_of(DType::Float));
  ASSERT_TRUE(functionalize_tf1_loops(b.g, "t.pb"));
  for (const auto& n : b.g.node()) EXPECT_EQ(n.op().rfind("TensorArray", 0), std::string::npos) << n.name();
  EXPECT_EQ(find(b.g, "ta_out")->op(), "TensorListReserve");
  EXPECT_EQ(find(b.g, "scatter")->op(), "TensorListFromTensor");
  EXPECT_EQ(inputs(*find(b.g, "scatter"))[0], "x");
  const NodeDef* gather = find(b.g, "gather");
  EXPECT_EQ(gather->op(), "TensorListStack");
  EXPECT_EQ(inputs(*gather)[0], "w:1");
  const NodeDef* w = find(b.g, "w");
  ASSERT_NE(w, nullptr);
  // t, flow (now the list), lim, the scattered list; the handles are gone.
  EXPECT_EQ(inputs(*w), (std::vector<std::string>{"zero", "ta_out", "n", "scatter"}));
  EXPECT_EQ(types(w->attr().at("T")),
            (std::vector<int>{tensorflow::DT_INT32, tensorflow::DT_VARIANT, tensorflow::DT_INT32,
                              tensorflow::DT_VARIANT}));
  const auto* body = fn(b.g, w->attr().at("body").func().name());
  ASSERT_NE(body, nullptr);
  const NodeDef* read = fn_node(*body, "w/read");
  ASSERT_NE(read, nullptr);
  EXPECT_EQ(read->op(), "TensorListGetItem");
  EXPECT_EQ(read->input(0), "arg3");
  EXPECT_EQ(read->input(1), "w/t_id:output:0");
  const NodeDef* write = fn_node(*body, "w/write");
  ASSERT_NE(write, nullptr);
  EXPECT_EQ(write->op(), "TensorListSetItem");
  EXPECT_EQ(inputs(*write), (std::vector<std::string>{"w/flow_id:output:0", "w/t_id:output:0",
                                                        "w/mul:z:0"}));
  EXPECT_EQ(fn_node(*body, "w/flow_id")->attr().at("T").type(), tensorflow::DT_VARIANT);
  EXPECT_EQ(body->ret().at("out1"), "w/write:output_handle:0");
}

TEST(Tf1Loops, Errors) {
  {
    Builder b = counter();
    for (auto& n : *b.g.mutable_node())  // the Merge loses its NextIteration
      if (n.name() == "while/i_merge") n.set_input(1, "zero");
    try {
      functionalize_tf1_loops(b.g, "t.pb");
      ADD_FAILURE() << "no error";
    } catch (const Error& e) {
      EXPECT_NE(std::string(e.what()).find("'while/i_merge' (Merge)"), std::string::npos)
          << e.what();
    }
  }
  {
    Builder b = counter();
    b.add("cat", "TensorArrayConcatV3", {"x", "y"});
    try {
      functionalize_tf1_loops(b.g, "t.pb");
      ADD_FAILURE() << "no error";
    } catch (const Error& e) {
      EXPECT_NE(std::string(e.what()).find("'cat' (TensorArrayConcatV3)"), std::string::npos)
          << e.what();
    }
  }
  {
    Builder b;  // no loop: untouched
    b.cst("zero", Tensor::scalar<int32_t>(0));
    EXPECT_FALSE(functionalize_tf1_loops(b.g, "t.pb"));
  }
}

TEST(Tf1Loops, TensorArrayOpsOutsideLoops) {
  // A dynamic-size array written at 1, scattered at [0], gathered at [1, 0], sized, closed.
  Builder b;
  b.add("v", "Placeholder", {}, {{"dtype", type_attr(DType::Float)}, {"shape", shape_attr({2})}});
  b.add("vs", "Placeholder", {}, {{"dtype", type_attr(DType::Float)}, {"shape", shape_attr({1, 2})}});
  b.cst("two", Tensor::scalar<int32_t>(2));
  b.cst("i1", Tensor::scalar<int32_t>(1));
  b.cst("idx", Tensor(DType::Int32, {1}));
  Tensor gi(DType::Int32, {2});
  gi.data<int32_t>()[0] = 1;
  b.cst("gidx", gi);
  b.add("ta", "TensorArrayV3", {"two"},
        {{"dtype", type_attr(DType::Float)}, {"element_shape", shape_attr({2})},
         {"dynamic_size", b_attr(true)}});
  b.add("h", "Identity", {"ta"}, t_of(DType::Resource));
  b.add("write", "TensorArrayWriteV3", {"h", "i1", "v", "ta:1"}, t_of(DType::Float));
  b.add("scatter", "TensorArrayScatterV3", {"ta", "idx", "vs", "write"}, t_of(DType::Float));
  b.add("gather", "TensorArrayGatherV3", {"h", "gidx", "scatter"},
        {{"dtype", type_attr(DType::Float)}});
  b.add("size", "TensorArraySizeV3", {"ta", "scatter"});
  b.add("close", "TensorArrayCloseV3", {"h", "^gather"});
  ASSERT_TRUE(tensor_arrays_to_lists(b.g, "t.pb"));
  EXPECT_EQ(find(b.g, "h"), nullptr);  // the handle chain is gone
  const NodeDef* ta = find(b.g, "ta");
  EXPECT_EQ(ta->op(), "TensorListReserve");
  EXPECT_EQ(ta->input(1), "two");
  const NodeDef* shape = find(b.g, ta->input(0));
  ASSERT_NE(shape, nullptr);
  EXPECT_EQ(shape->attr().at("value").tensor().int_val_size(), 1);  // [2]
  const NodeDef* write = find(b.g, "write");
  EXPECT_EQ(write->op(), "TensorListSetItem");
  EXPECT_EQ(inputs(*write), (std::vector<std::string>{"ta", "i1", "v"}));
  EXPECT_TRUE(write->attr().at("resize_if_index_out_of_bounds").b());
  EXPECT_EQ(find(b.g, "scatter")->op(), "TensorListScatterIntoExistingList");
  EXPECT_EQ(inputs(*find(b.g, "scatter")), (std::vector<std::string>{"write", "vs", "idx"}));
  EXPECT_EQ(find(b.g, "gather")->op(), "TensorListGather");
  EXPECT_EQ(find(b.g, "gather")->input(1), "gidx");
  EXPECT_EQ(inputs(*find(b.g, "size")), (std::vector<std::string>{"scatter"}));
  EXPECT_EQ(find(b.g, "size")->op(), "TensorListLength");
  EXPECT_EQ(find(b.g, "close")->op(), "NoOp");
  EXPECT_EQ(inputs(*find(b.g, "close")), (std::vector<std::string>{"^gather"}));

  Builder bad;  // a handle used by something that is not a TensorArray op
  bad.cst("two", Tensor::scalar<int32_t>(2));
  bad.add("ta", "TensorArrayV3", {"two"}, {{"dtype", type_attr(DType::Float)}});
  bad.add("use", "Shape", {"ta"});
  try {
    tensor_arrays_to_lists(bad.g, "t.pb");
    ADD_FAILURE() << "no error";
  } catch (const Error& e) {
    EXPECT_NE(std::string(e.what()).find("'use' (Shape)"), std::string::npos) << e.what();
  }
}

}  // namespace
}  // namespace tfaot::frontend
