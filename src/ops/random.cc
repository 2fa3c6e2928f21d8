// RandomUniform(shape): uniform [0, 1) values. Not foldable. tfaot does not reproduce
// TensorFlow's Philox stream: values are a hash of (seed, seed2, node name, element index)
// (tfaot_kernels::uniform01), identical in the reference and in generated code and the same on
// every run. Models use it for dropout masks that inference disables (keep_prob = 1).
#include "ops/op_util.h"

namespace tfaot::ops {
namespace {

// Bit-exact copy of the kernel's hash, so the reference draws the same numbers.
uint64_t mix64(uint64_t x) {
  x += 0x9e3779b97f4a7c15ULL;
  x = (x ^ (x >> 30)) * 0xbf58476d1ce4e5b9ULL;
  x = (x ^ (x >> 27)) * 0x94d049bb133111ebULL;
  return x ^ (x >> 31);
}

class RandomUniformOp final : public Op {
 public:
  std::string_view name() const override { return "RandomUniform"; }
  bool foldable() const override { return false; }

  void infer(ir::Node& node) const override {
    check_num_inputs(node, 1);
    check_static_inputs(node);
    check_dtype(node, node.input_type(0).dtype, kIndexTypes, "shape");
    DType t = node.attr_type("dtype");
    check_dtype(node, t, kFloatTypes, "attribute 'dtype'");
    Shape s = require_const(node, 0, "shape").to_int_vector();
    for (int64_t d : s)
      if (d < 0) fail("{}: negative dim in shape {}", node.describe(), shape_str(s));
    node.outputs = {ir::TensorType{t, s, true}};
  }

  std::vector<Tensor> evaluate(const ir::Node& node,
                               std::span<const Tensor* const>) const override {
    const auto& ot = node.output_type(0);
    Tensor out(ot.dtype, ot.shape);
    uint64_t k = key(node);
    for (int64_t i = 0; i < out.num_elements(); ++i) {
      uint64_t h = mix64(k ^ mix64(uint64_t(i)));
      if (ot.dtype == DType::Float)
        out.data<float>()[i] = float(h >> 40) * float(1.0 / 16777216.0);
      else
        out.data<double>()[i] = double(h >> 11) * (1.0 / 9007199254740992.0);
    }
    return {out};
  }

  void emit(const ir::Node& node, EmitContext& ctx) const override {
    int64_t n = node.output_type(0).num_elements();
    if (n == 0) return;
    ctx.code() << "tfaot_kernels::random_uniform<" << n << ">(std::uint64_t(" << key(node)
               << "ULL), " << ctx.output(0) << ");\n";
  }

 private:
  static uint64_t key(const ir::Node& node) {
    uint64_t k = mix64(uint64_t(node.attr_int("seed", 0)) * 31 + uint64_t(node.attr_int("seed2", 0)));
    for (char c : node.name) k = mix64(k ^ uint8_t(c));
    return k;
  }
};

}  // namespace

std::vector<const Op*> random_ops() {
  static const RandomUniformOp op;
  return {&op};
}

}  // namespace tfaot::ops
