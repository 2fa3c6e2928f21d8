#include <gtest/gtest.h>

#include "op_test_util.h"
#include "ops/control_flow.h"
#include "ops/op.h"
#include "passes/pipeline.h"

namespace tfaot::test {
namespace {

tensorflow::AttrValue dtype_attr(DType t) { return attr_type(t); }

std::shared_ptr<ir::Graph> take(OpGraph& g) { return std::shared_ptr<ir::Graph>(g.graph().clone()); }

// Adds a While node over `vars` with the given cond/body and infers it.
ir::Node* add_while(OpGraph& g, std::vector<ir::Value> vars, OpGraph& cond, OpGraph& body,
                    const std::string& op = "While") {
  ir::Node* w = g.graph().add_node("loop", op);
  w->inputs = std::move(vars);
  w->subgraphs = {take(cond), take(body)};
  ops::find_op(op)->infer(*w);
  return w;
}

ir::Value i32(OpGraph& g, int32_t v) { return g.constant(Tensor::scalar<int32_t>(v)); }

// while (i < 10) { i += 1; acc *= 2; }
void counter_graphs(OpGraph& cond, OpGraph& body) {
  auto ci = cond.input(DType::Int32, {});
  cond.input(DType::Float, {3});
  cond.output(cond.add("Less", {ci, i32(cond, 10)}));
  auto bi = body.input(DType::Int32, {});
  auto ba = body.input(DType::Float, {3});
  body.output(body.add("AddV2", {bi, i32(body, 1)}));
  body.output(body.add("Mul", {ba, body.constant(Tensor::scalar<float>(2))}));
}

TEST(While, CounterLoopReferenceAndGenerated) {
  for (const char* op : {"While", "StatelessWhile"}) {
    OpGraph cond, body, g;
    counter_graphs(cond, body);
    auto i = g.input(DType::Int32, {});
    auto acc = g.input(DType::Float, {3});
    ir::Node* w = add_while(g, {i, acc}, cond, body, op);
    g.output({w, 0});
    g.output({w, 1});
    std::vector<Tensor> in = {Tensor::scalar<int32_t>(3),
                              Tensor::from_vector<float>({3}, {1, -2, 0.5f})};
    auto ref = g.reference(in);
    expect_equal(ref[0], Tensor::scalar<int32_t>(10));
    expect_equal(ref[1], Tensor::from_vector<float>({3}, {128, -256, 64}));
    auto gen = g.generated(in);
    expect_equal(gen[0], ref[0]);
    expect_equal(gen[1], ref[1]);
    // Zero iterations: the outputs are the inputs.
    in[0] = Tensor::scalar<int32_t>(12);
    gen = g.generated(in);
    expect_equal(gen[0], in[0]);
    expect_equal(gen[1], in[1]);
  }
}

TEST(While, ConstantLoopIsFolded) {
  OpGraph cond, body, g;
  counter_graphs(cond, body);
  ir::Node* w = add_while(g, {i32(g, 0), g.constant(Tensor::from_vector<float>({3}, {1, 2, 3}))},
                          cond, body);
  g.output({w, 1});
  passes::optimize(g.graph());
  ASSERT_TRUE(g.graph().outputs[0].value.node->is_const());
  expect_equal(*g.graph().outputs[0].value.node->value,
               Tensor::from_vector<float>({3}, {1024, 2048, 3072}));
}

TEST(While, BodyTypeMismatchIsAnError) {
  OpGraph cond, body, g;
  auto ci = cond.input(DType::Int32, {});
  cond.output(cond.add("Less", {ci, i32(cond, 10)}));
  auto bi = body.input(DType::Int32, {});
  body.output(body.add("Cast", {bi}, {{"DstT", dtype_attr(DType::Float)}}));
  expect_error([&] { add_while(g, {g.input(DType::Int32, {})}, cond, body); },
               {"'loop'", "loop variable 0", "int32[]", "float32[]"});
}

// Keras-style: x unstacked into a TensorList, a reserved list (element shape [-1, 3]) filled
// with x[t] * x[t] + h, h carried; weights pass through the loop unchanged.
void list_graphs(OpGraph& cond, OpGraph& body, const Shape& xs) {
  const Shape list{xs[0], -1, xs[2]};
  auto ci = cond.input(DType::Int32, {});
  cond.input(DType::Float, {xs[0], 0, xs[2]});  // placeholder until resolved; unused by cond
  cond.input(DType::Float, xs);
  cond.input(DType::Float, {xs[1], xs[2]});
  cond.input(DType::Float, {xs[2]});
  cond.output(cond.add("Less", {ci, i32(cond, static_cast<int32_t>(xs[0]))}));
  auto i = body.input(DType::Int32, {});
  auto l = body.input(DType::Float, {xs[0], xs[1], xs[2]});
  auto x = body.input(DType::Float, xs);
  auto h = body.input(DType::Float, {xs[1], xs[2]});
  auto wt = body.input(DType::Float, {xs[2]});
  auto shape = body.constant(Tensor::from_vector<int32_t>({2}, {-1, static_cast<int32_t>(xs[2])}));
  auto e = body.add("TensorListGetItem", {x, i, shape}, {{"element_dtype", dtype_attr(DType::Float)}});
  auto sq = body.add("Mul", {e, e});
  auto h2 = body.add("AddV2", {body.add("Mul", {sq, wt}), h});
  body.output(body.add("AddV2", {i, i32(body, 1)}));
  body.output(body.add("TensorListSetItem", {l, i, h2}, {{"element_dtype", dtype_attr(DType::Float)}}));
  body.output(x);
  body.output(h2);
  body.output(wt);
  (void)list;
}

TEST(While, TensorListRoundTrip) {
  const Shape xs{4, 2, 3};
  OpGraph cond, body, g;
  list_graphs(cond, body, xs);
  auto x = g.input(DType::Float, xs);
  auto shape = g.constant(Tensor::from_vector<int32_t>({2}, {-1, 3}));
  auto fl = [&] { return ir::AttrMap{{"element_dtype", dtype_attr(DType::Float)}}; };
  auto xl = g.add("TensorListFromTensor", {x, shape}, fl());
  auto reserve = g.add("TensorListReserve", {shape, i32(g, 4)}, fl());
  EXPECT_TRUE(reserve.node->has_attr(ops::kUnresolvedListAttr));
  auto h0 = g.input(DType::Float, {2, 3});
  auto wt = g.constant(Tensor::from_vector<float>({3}, {1, 0.5f, -1}));
  ir::Node* w = add_while(g, {i32(g, 0), reserve, xl, h0, wt}, cond, body, "StatelessWhile");
  EXPECT_FALSE(reserve.node->has_attr(ops::kUnresolvedListAttr));
  EXPECT_EQ(w->outputs[1].str(), "float32[4,2,3]");
  auto fl5 = fl();
  fl5["num_elements"] = attr_int(4);
  g.output(g.add("TensorListStack", {{w, 1}, shape}, fl5));
  g.output({w, 3});
  check_generated(g, 7, 1e-6, 1e-6);
  // By hand: out[t] = sum_{s<=t} x[s]^2 * w + h0.
  auto in = g.random_inputs(3);
  auto ref = g.reference(in);
  const float* xv = in[0].data<float>();
  const float* hv = in[1].data<float>();
  const float wv[3] = {1, 0.5f, -1};
  for (int k = 0; k < 6; ++k) {
    float acc = hv[k];
    for (int t = 0; t < 4; ++t) {
      acc += xv[t * 6 + k] * xv[t * 6 + k] * wv[k % 3];
      EXPECT_FLOAT_EQ(ref[0].data<float>()[t * 6 + k], acc) << "t=" << t << " k=" << k;
    }
  }
  // Through the whole pipeline (the optimizer folds the constant weights into the body).
  passes::optimize(g.graph());
  auto gen = g.generated(in);
  expect_close(gen[0], ref[0], 1e-6, 1e-6);
  expect_close(gen[1], ref[1], 1e-6, 1e-6);
}

// Trip count known only at run time (n is an input): while (i < n) { l[i] = x[i] * 2; i += 1 }
// into a list reserved with the static maximum T = 4; items past n stay zero.
TEST(While, RuntimeTripCountBoundedByTheList) {
  OpGraph cond, body, g;
  auto fl = [] { return ir::AttrMap{{"element_dtype", attr_type(DType::Float)}}; };
  auto ci = cond.input(DType::Int32, {});
  auto cn = cond.input(DType::Int32, {});
  cond.input(DType::Float, {4, 2});
  cond.input(DType::Float, {4, 2});
  cond.output(cond.add("Less", {ci, cn}));
  auto bi = body.input(DType::Int32, {});
  auto bn = body.input(DType::Int32, {});
  auto bx = body.input(DType::Float, {4, 2});
  auto bl = body.input(DType::Float, {4, 2});
  auto shape = body.constant(Tensor::from_vector<int32_t>({1}, {2}));
  auto item = body.add("TensorListGetItem", {bx, bi, shape}, fl());
  auto twice = body.add("Mul", {item, body.constant(Tensor::scalar<float>(2))});
  body.output(body.add("AddV2", {bi, i32(body, 1)}));
  body.output(bn);
  body.output(bx);
  body.output(body.add("TensorListSetItem", {bl, bi, twice}, fl()));
  auto x = g.input(DType::Float, {4, 2});
  auto n = g.input(DType::Int32, {});
  auto eshape = g.constant(Tensor::from_vector<int32_t>({1}, {2}));
  auto xl = g.add("TensorListFromTensor", {x, eshape}, fl());
  auto reserve = g.add("TensorListReserve", {eshape, i32(g, 4)}, fl());
  ir::Node* w = add_while(g, {i32(g, 0), n, xl, reserve}, cond, body);
  g.output(g.add("TensorListStack", {{w, 3}, eshape}, fl()));
  g.output({w, 0});
  Tensor xv = Tensor::from_vector<float>({4, 2}, {1, 2, 3, 4, 5, 6, 7, 8});
  for (int32_t trips : {0, 2, 4}) {
    std::vector<Tensor> in = {xv, Tensor::scalar<int32_t>(trips)};
    auto ref = g.reference(in);
    std::vector<float> want(8, 0);
    for (int k = 0; k < 2 * trips; ++k) want[k] = 2 * xv.data<float>()[k];
    expect_equal(ref[0], Tensor::from_vector<float>({4, 2}, want));
    expect_equal(ref[1], Tensor::scalar<int32_t>(trips));
    auto gen = g.generated(in);
    expect_equal(gen[0], ref[0], fmt::format("trips={}", trips));
    expect_equal(gen[1], ref[1]);
  }
}

// No static bound: a list reserved with a run-time size is a compile-time error naming it.
TEST(While, ListWithoutStaticBoundIsAnError) {
  OpGraph g;
  auto eshape = g.constant(Tensor::from_vector<int32_t>({1}, {2}));
  auto n = g.input(DType::Int32, {});
  expect_error([&] { g.add("TensorListReserve", {eshape, n}, {{"element_dtype", attr_type(DType::Float)}},
                           "dynamic_list"); },
               {"dynamic_list", "TensorListReserve", "num_elements"});
}

// Nested loops: for i in [0, m): { j = 0; while j <= i: { acc += x; j += 1 } } with m a
// run-time input; acc = x * m (m + 1) / 2.
TEST(While, NestedLoops) {
  OpGraph inner_cond, inner_body, cond, body, g;
  auto icj = inner_cond.input(DType::Int32, {});
  auto ici = inner_cond.input(DType::Int32, {});
  inner_cond.input(DType::Float, {2});
  inner_cond.input(DType::Float, {2});
  inner_cond.output(inner_cond.add("LessEqual", {icj, ici}));
  auto ibj = inner_body.input(DType::Int32, {});
  auto ibi = inner_body.input(DType::Int32, {});
  auto ibacc = inner_body.input(DType::Float, {2});
  auto ibx = inner_body.input(DType::Float, {2});
  inner_body.output(inner_body.add("AddV2", {ibj, i32(inner_body, 1)}));
  inner_body.output(ibi);
  inner_body.output(inner_body.add("AddV2", {ibacc, ibx}));
  inner_body.output(ibx);

  auto ci = cond.input(DType::Int32, {});
  auto cm = cond.input(DType::Int32, {});
  cond.input(DType::Float, {2});
  cond.input(DType::Float, {2});
  cond.output(cond.add("Less", {ci, cm}));
  auto bi = body.input(DType::Int32, {});
  auto bm = body.input(DType::Int32, {});
  auto bacc = body.input(DType::Float, {2});
  auto bx = body.input(DType::Float, {2});
  ir::Node* inner = add_while(body, {i32(body, 0), bi, bacc, bx}, inner_cond, inner_body);
  body.output(body.add("AddV2", {bi, i32(body, 1)}));
  body.output(bm);
  body.output({inner, 2});
  body.output(bx);

  auto m = g.input(DType::Int32, {});
  auto x = g.input(DType::Float, {2});
  ir::Node* w = add_while(g, {i32(g, 0), m, g.constant(Tensor::from_vector<float>({2}, {0, 0})), x},
                          cond, body);
  g.output({w, 2});
  for (int32_t mv : {0, 1, 4}) {
    std::vector<Tensor> in = {Tensor::scalar<int32_t>(mv), Tensor::from_vector<float>({2}, {1, -0.5f})};
    const float f = static_cast<float>(mv * (mv + 1) / 2);
    auto ref = g.reference(in);
    expect_equal(ref[0], Tensor::from_vector<float>({2}, {f, -0.5f * f}));
    expect_equal(g.generated(in)[0], ref[0], fmt::format("m={}", mv));
  }
  // Through the whole pipeline too (the inner loop is specialized inside the outer body).
  passes::optimize(g.graph());
  std::vector<Tensor> in = {Tensor::scalar<int32_t>(3), Tensor::from_vector<float>({2}, {2, 1})};
  expect_equal(g.generated(in)[0], Tensor::from_vector<float>({2}, {12, 6}));
}

TEST(TensorList, GetItemOutOfRangeIsAnError) {
  OpGraph g;
  auto x = g.input(DType::Float, {2, 3});
  auto shape = g.constant(Tensor::from_vector<int32_t>({1}, {3}));
  auto l = g.add("TensorListFromTensor", {x, shape});
  auto idx = g.input(DType::Int32, {});
  g.output(g.add("TensorListGetItem", {l, idx, shape}, {{"element_dtype", attr_type(DType::Float)}}));
  std::vector<Tensor> in = {Tensor::from_vector<float>({2, 3}, {1, 2, 3, 4, 5, 6}),
                            Tensor::scalar<int32_t>(1)};
  expect_equal(g.reference(in)[0], Tensor::from_vector<float>({3}, {4, 5, 6}));
  expect_equal(g.generated(in)[0], Tensor::from_vector<float>({3}, {4, 5, 6}));
  in[1] = Tensor::scalar<int32_t>(2);
  expect_error([&] { g.reference(in); }, {"TensorListGetItem", "index 2"});
}

TEST(TensorList, UnresolvedReserveIsAnError) {
  OpGraph g;
  auto shape = g.constant(Tensor::from_vector<int32_t>({2}, {-1, 3}));
  g.output(g.add("TensorListReserve", {shape, i32(g, 2)}, {{"element_dtype", attr_type(DType::Float)}}));
  expect_error([&] { g.reference({}); }, {"TensorListReserve", "element shape"});
}

}  // namespace
}  // namespace tfaot::test
