// Const: a constant tensor (weights, shapes, ...). Its value lives in node.value (set by the
// front end from attr `value`). The back end places it in read-only data; emit() is empty.
#include "ops/op.h"

namespace tfaot::ops {
namespace {

class ConstOp final : public Op {
 public:
  uint64_t flops(const ir::Node&) const override { return 0; }  // data movement
  std::string_view name() const override { return "Const"; }

  void infer(ir::Node& node) const override {
    if (!node.value) fail("{}: constant has no value", node.describe());
    if (!node.inputs.empty()) fail("{}: a constant takes no inputs", node.describe());
    node.outputs = {ir::TensorType{node.value->dtype(), node.value->shape(), true}};
  }

  std::vector<Tensor> evaluate(const ir::Node& node,
                               std::span<const Tensor* const>) const override {
    return {*node.value};
  }

  void emit(const ir::Node&, EmitContext&) const override {}
};

}  // namespace

std::vector<const Op*> const_ops() {
  static const ConstOp op;
  return {&op};
}

}  // namespace tfaot::ops
