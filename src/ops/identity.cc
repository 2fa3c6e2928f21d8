// Identity: output = input (any dtype, any shape). Usually removed by IdentityElimination;
// when it survives (tests, hand-built graphs) it is a copy that may reuse the input's buffer.
#include <cstring>

#include "ops/op.h"

namespace tfaot::ops {
namespace {

class IdentityOp final : public Op {
 public:
  uint64_t flops(const ir::Node&) const override { return 0; }  // data movement
  std::string_view name() const override { return "Identity"; }

  void infer(ir::Node& node) const override {
    if (node.inputs.size() != 1)
      fail("{}: expects 1 input, got {}", node.describe(), node.inputs.size());
    const ir::TensorType& in = node.input_type(0);
    if (node.has_attr("T") && node.attr_type("T") != in.dtype)
      fail("{}: attr T is {} but the input is {}", node.describe(),
           dtype_name(node.attr_type("T")), dtype_name(in.dtype));
    node.outputs = {in};
  }

  std::vector<Tensor> evaluate(const ir::Node&,
                               std::span<const Tensor* const> inputs) const override {
    return {*inputs[0]};
  }

  void emit(const ir::Node& node, EmitContext& ctx) const override {
    const ir::TensorType& t = node.output_type(0);
    const size_t bytes = static_cast<size_t>(t.num_elements()) * dtype_size(t.dtype);
    if (bytes == 0) return;
    // The back end may give the output the input's buffer (inplace_input); copy only if not.
    std::string src = ctx.input(0), dst = ctx.output(0);
    ctx.code() << "if (static_cast<const void*>(" << dst << ") != static_cast<const void*>("
               << src << ")) std::memcpy(" << dst << ", " << src << ", " << bytes << ");\n";
  }

  int inplace_input(const ir::Node&) const override { return 0; }
};

}  // namespace

std::vector<const Op*> identity_ops() {
  static const IdentityOp op;
  return {&op};
}

}  // namespace tfaot::ops
