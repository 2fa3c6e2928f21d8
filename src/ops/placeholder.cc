// Placeholder: a model input. Its type is the signature's, made static by specialization; the
// evaluator and the back end bind it to the caller's data, so evaluate/emit are never reached.
#include "ops/op.h"

namespace tfaot::ops {
namespace {

class PlaceholderOp final : public Op {
 public:
  uint64_t flops(const ir::Node&) const override { return 0; }  // data movement
  std::string_view name() const override { return "Placeholder"; }

  void infer(ir::Node& node) const override {
    if (node.outputs.size() != 1 || !node.outputs[0].is_static())
      fail("{}: input has no static shape (give it with compilation.input_shapes)",
           node.describe());
  }

  std::vector<Tensor> evaluate(const ir::Node& node,
                               std::span<const Tensor* const>) const override {
    fail("{}: input was not fed", node.describe());
  }

  void emit(const ir::Node&, EmitContext&) const override {}
  bool foldable() const override { return false; }
};

}  // namespace

std::vector<const Op*> placeholder_ops() {
  static const PlaceholderOp op;
  return {&op};
}

}  // namespace tfaot::ops
