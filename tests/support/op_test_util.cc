#include "op_test_util.h"

#include <algorithm>
#include <cmath>

#include "backend/jit.h"
#include "ops/interpreter.h"
#include "ops/op.h"

namespace tfaot::test {

tensorflow::AttrValue attr_type(DType t) {
  tensorflow::AttrValue a;
  a.set_type(static_cast<tensorflow::DataType>(t));
  return a;
}
tensorflow::AttrValue attr_int(int64_t v) {
  tensorflow::AttrValue a;
  a.set_i(v);
  return a;
}
tensorflow::AttrValue attr_float(float v) {
  tensorflow::AttrValue a;
  a.set_f(v);
  return a;
}
tensorflow::AttrValue attr_bool(bool v) {
  tensorflow::AttrValue a;
  a.set_b(v);
  return a;
}
tensorflow::AttrValue attr_string(const std::string& v) {
  tensorflow::AttrValue a;
  a.set_s(v);
  return a;
}
tensorflow::AttrValue attr_ints(const std::vector<int64_t>& v) {
  tensorflow::AttrValue a;
  auto* list = a.mutable_list();
  for (int64_t x : v) list->add_i(x);
  return a;
}

OpGraph::OpGraph() : graph_(std::make_unique<ir::Graph>()) {}

ir::Value OpGraph::input(DType dtype, Shape shape) {
  std::string key = fmt::format("in{:02}", graph_->inputs.size());
  ir::Node* n = graph_->add_node(key, "Placeholder");
  n->set_attr_type("dtype", dtype);
  ir::TensorType t{dtype, std::move(shape), true};
  n->outputs = {t};
  graph_->inputs.push_back({key, key + ":0", t, n});
  return {n, 0};
}

ir::Value OpGraph::constant(Tensor value) {
  return {graph_->add_const(fmt::format("const{}", consts_++), std::move(value)), 0};
}

ir::Value OpGraph::add(const std::string& op, std::vector<ir::Value> inputs, ir::AttrMap attrs,
                       const std::string& name) {
  ir::Node* n = graph_->add_node(name.empty() ? op : name, op);
  n->inputs = std::move(inputs);
  n->attrs = std::move(attrs);
  last_ = n;
  const ops::Op* impl = ops::find_op(op);
  if (!impl) fail("{}: unsupported op", n->describe());
  impl->infer(*n);
  return {n, 0};
}

void OpGraph::output(ir::Value v) {
  std::string key = fmt::format("out{:02}", graph_->outputs.size());
  graph_->outputs.push_back({key, v.str(), v.node->output_type(v.index), v});
}

std::vector<Tensor> OpGraph::reference(const std::vector<Tensor>& inputs) const {
  return ops::interpret(*graph_, inputs);
}

std::vector<Tensor> OpGraph::generated(const std::vector<Tensor>& inputs) const {
  return backend::run_generated(*graph_, inputs);
}

std::vector<Tensor> OpGraph::random_inputs(uint32_t seed, double lo, double hi) const {
  std::mt19937 rng(seed);
  std::vector<Tensor> v;
  for (const auto& in : graph_->inputs)
    v.push_back(random_tensor(in.type.dtype, in.type.shape, rng, lo, hi));
  return v;
}

Tensor random_tensor(DType dtype, const Shape& shape, std::mt19937& rng, double lo, double hi) {
  Tensor t(dtype, shape);
  std::uniform_real_distribution<double> dist(lo, hi);
  for (int64_t i = 0; i < t.num_elements(); ++i) {
    double v = dist(rng);
    if (dtype == DType::Bool) v = (rng() & 1) ? 1 : 0;
    else if (!dtype_is_float(dtype)) v = std::round(v);
    // Negative values do not convert to unsigned types (undefined behaviour).
    if (dtype == DType::UInt8 || dtype == DType::UInt16 || dtype == DType::UInt32 ||
        dtype == DType::UInt64)
      v = std::fabs(v);
    // Out-of-range double -> integer conversions are undefined too: clamp to the type.
    if (dtype == DType::Int8) v = std::clamp(v, -128.0, 127.0);
    if (dtype == DType::UInt8) v = std::min(v, 255.0);
    if (dtype == DType::Int16) v = std::clamp(v, -32768.0, 32767.0);
    if (dtype == DType::UInt16) v = std::min(v, 65535.0);
    t.set_double(i, v);
  }
  return t;
}

namespace {
bool header_matches(const Tensor& a, const Tensor& e, const std::string& what) {
  EXPECT_EQ(dtype_name(a.dtype()), dtype_name(e.dtype())) << what;
  EXPECT_EQ(shape_str(a.shape()), shape_str(e.shape())) << what;
  return a.dtype() == e.dtype() && a.shape() == e.shape();
}
}  // namespace

void expect_equal(const Tensor& actual, const Tensor& expected, const std::string& what) {
  if (!header_matches(actual, expected, what)) return;
  int bad = 0;
  for (int64_t i = 0; i < actual.num_elements() && bad < 10; ++i) {
    double a = actual.get_double(i), e = expected.get_double(i);
    bool same = dtype_is_float(actual.dtype()) && std::isnan(a) && std::isnan(e);
    if (!dtype_is_float(actual.dtype())) same = actual.get_int(i) == expected.get_int(i);
    else if (!same) same = a == e;
    if (!same) {
      ++bad;
      ADD_FAILURE() << what << " element " << i << ": got " << a << ", expected " << e;
    }
  }
}

void expect_close(const Tensor& actual, const Tensor& expected, double rtol, double atol,
                  const std::string& what) {
  if (!dtype_is_float(expected.dtype())) return expect_equal(actual, expected, what);
  if (!header_matches(actual, expected, what)) return;
  int bad = 0;
  for (int64_t i = 0; i < actual.num_elements() && bad < 10; ++i) {
    double a = actual.get_double(i), e = expected.get_double(i);
    bool ok;
    if (std::isnan(e) || std::isnan(a)) ok = std::isnan(e) && std::isnan(a);
    else if (std::isinf(e) || std::isinf(a)) ok = a == e;
    else ok = std::fabs(a - e) <= atol + rtol * std::fabs(e);
    if (!ok) {
      ++bad;
      ADD_FAILURE() << what << " element " << i << ": got " << a << ", expected " << e
                    << " (rtol " << rtol << ", atol " << atol << ")";
    }
  }
}

void check_generated(const OpGraph& g, uint32_t seed, double rtol, double atol, double lo,
                     double hi) {
  auto inputs = g.random_inputs(seed, lo, hi);
  auto ref = g.reference(inputs);
  auto gen = g.generated(inputs);
  ASSERT_EQ(gen.size(), ref.size());
  for (size_t i = 0; i < ref.size(); ++i)
    expect_close(gen[i], ref[i], rtol, atol,
                 fmt::format("output {} ({})", i, g.graph().outputs[i].value.str()));
}

void expect_error(const std::function<void()>& fn, const std::vector<std::string>& parts) {
  try {
    fn();
  } catch (const Error& e) {
    std::string msg = e.what();
    for (const auto& p : parts)
      EXPECT_NE(msg.find(p), std::string::npos) << "error '" << msg << "' lacks '" << p << "'";
    return;
  }
  ADD_FAILURE() << "expected a tfaot::Error";
}

}  // namespace tfaot::test
