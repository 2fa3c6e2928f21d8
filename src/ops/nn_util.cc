#include "ops/nn_util.h"

namespace tfaot::ops::nn {

Padding parse_padding(const ir::Node& node, bool allow_explicit) {
  std::string p = node.attr_string("padding");
  if (p == "SAME") return Padding::Same;
  if (p == "VALID") return Padding::Valid;
  if (p == "EXPLICIT" && allow_explicit) return Padding::Explicit;
  fail("{}: unsupported padding '{}' (expected SAME or VALID{})", node.describe(), p,
       allow_explicit ? " or EXPLICIT" : "");
}

void require_nhwc(const ir::Node& node) {
  std::string f = node.attr_string("data_format", "NHWC");
  if (f != "NHWC")
    fail("{}: data_format '{}' is not supported (only NHWC; TensorFlow's CPU kernels need it "
         "too)",
         node.describe(), f);
}

std::array<int64_t, 2> nhwc_hw_attr(const ir::Node& node, const char* attr,
                                    std::vector<int64_t> dflt) {
  std::vector<int64_t> v = dflt.empty() ? node.attr_ints(attr) : node.attr_ints(attr, dflt);
  if (v.size() != 4)
    fail("{}: attr '{}' must have 4 entries (NHWC), has {}", node.describe(), attr, v.size());
  if (v[0] != 1 || v[3] != 1)
    fail("{}: attr '{}' must be 1 in the batch and depth dimensions, got [{},{},{},{}]",
         node.describe(), attr, v[0], v[1], v[2], v[3]);
  if (v[1] < 1 || v[2] < 1)
    fail("{}: attr '{}' must be positive, got [{},{},{},{}]", node.describe(), attr, v[0], v[1],
         v[2], v[3]);
  return {v[1], v[2]};
}

Window make_window(const ir::Node& node, const char* what, int64_t in, int64_t size,
                   int64_t stride, int64_t dilation, Padding padding, int64_t explicit_before,
                   int64_t explicit_after) {
  Window w;
  w.in = in;
  w.size = size;
  w.stride = stride;
  w.dilation = dilation;
  if (size < 1) fail("{}: {} window size must be positive, got {}", node.describe(), what, size);
  int64_t eff = w.effective_size();
  switch (padding) {
    case Padding::Valid:
      w.out = (in - eff + stride) / stride;  // truncating, as TF
      break;
    case Padding::Same:
      w.out = (in + stride - 1) / stride;
      {
        int64_t needed = std::max<int64_t>(0, (w.out - 1) * stride + eff - in);
        w.pad_before = needed / 2;
        w.pad_after = needed - w.pad_before;
      }
      break;
    case Padding::Explicit:
      if (explicit_before < 0 || explicit_after < 0)
        fail("{}: negative explicit padding in {} ({}, {})", node.describe(), what,
             explicit_before, explicit_after);
      w.pad_before = explicit_before;
      w.pad_after = explicit_after;
      w.out = (in + explicit_before + explicit_after - eff + stride) / stride;
      break;
  }
  if (w.out < 0)
    fail("{}: computed output {} would be negative (input {}, effective window {}, stride {})",
         node.describe(), what, in, eff, stride);
  return w;
}

std::array<Window, 2> spatial_windows(const ir::Node& node, const Shape& in,
                                      std::array<int64_t, 2> size,
                                      std::array<int64_t, 2> strides,
                                      std::array<int64_t, 2> dilations, bool allow_explicit) {
  Padding p = parse_padding(node, allow_explicit);
  std::vector<int64_t> ex(8, 0);
  if (p == Padding::Explicit) {
    ex = node.attr_ints("explicit_paddings");
    if (ex.size() != 8)
      fail("{}: attr 'explicit_paddings' must have 8 entries (NHWC), has {}", node.describe(),
           ex.size());
    if (ex[0] || ex[1] || ex[6] || ex[7])
      fail("{}: explicit_paddings must be 0 in the batch and depth dimensions",
           node.describe());
  }
  return {make_window(node, "height", in[1], size[0], strides[0], dilations[0], p, ex[2], ex[3]),
          make_window(node, "width", in[2], size[1], strides[1], dilations[1], p, ex[4], ex[5])};
}

std::vector<double> to_doubles(const Tensor& t) {
  std::vector<double> v(static_cast<size_t>(t.num_elements()));
  dispatch_dtype(t.dtype(), [&](auto tag) {
    using T = typename decltype(tag)::type;
    const T* p = t.data<T>();
    for (size_t i = 0; i < v.size(); ++i) v[i] = static_cast<double>(p[i]);
  });
  return v;
}

Tensor from_doubles(DType dtype, const Shape& shape, const std::vector<double>& v) {
  Tensor t(dtype, shape);
  for (size_t i = 0; i < v.size(); ++i) t.set_double(static_cast<int64_t>(i), v[i]);
  return t;
}

std::string join_args(const std::vector<std::string>& args) {
  std::string s;
  for (size_t i = 0; i < args.size(); ++i) s += (i ? ", " : "") + args[i];
  return s;
}

void emit_gemm(EmitContext& ctx, const GemmCall& g, const std::string& a, const std::string& b,
               const std::string& c) {
  const int64_t batch = static_cast<int64_t>(g.c_off.size());
  if (batch == 0 || g.m == 0 || g.n == 0) return;
  auto table = [&](const std::vector<int64_t>& off) {
    return ctx.constant(Tensor::from_vector<int64_t>({batch}, off));
  };
  std::vector<std::string> args;
  for (int64_t v : {batch, g.m, g.n, g.k, g.am, g.ak, g.bk, g.bn, g.cm, g.cn})
    args.push_back(std::to_string(v));
  ctx.code() << "tfaot_kernels::strided_batch_matmul<" << join_args(args) << ">(" << a << ", "
             << b << ", " << c << ", " << table(g.a_off) << ", " << table(g.b_off) << ", "
             << table(g.c_off) << ");\n";
}

std::string bool_arg(bool b) { return b ? "true" : "false"; }

}  // namespace tfaot::ops::nn
