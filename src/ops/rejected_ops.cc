// Ops tfaot knows but does not compile, each with the reason (Op::rejection): they count as
// unsupported (tfaot-check says NO) and the compile-time error names the node and says why.
// Keras TextVectorization (StringLower -> StaticRegexReplace -> StringSplitV2 -> ragged row
// partition -> RaggedTensorToTensor) is the model family behind this list: inside that chain
// these ops are fused into _TextVectorize (passes/fuse_text_vectorization.h), which reports
// any mismatch itself; what is left here is these ops anywhere else.
#include "ops/op.h"

namespace tfaot::ops {
namespace {

struct Rejection {
  const char* op;
  const char* why;
};

constexpr const char* kNewBytes =
    "it computes new string bytes; tfaot's generated code carries strings as views of the "
    "inputs and constants and has no byte arena for computed strings (tfaot compiles it only "
    "inside a Keras TextVectorization layer, docs/strings.md)";
constexpr const char* kRagged =
    "its output length depends on the input values (ragged tokens); tfaot compiles it only "
    "inside a Keras TextVectorization layer with output_sequence_length (docs/strings.md)";

constexpr Rejection kRejections[] = {
    {"StringLower", kNewBytes},
    {"StringUpper", kNewBytes},
    {"StaticRegexReplace", kNewBytes},
    {"RegexReplace", kNewBytes},
    {"StringJoin", kNewBytes},
    {"StringSplitV2", kRagged},
    {"RaggedTensorToTensor", kRagged},
    {"Where", "its output shape [number of true elements, rank] depends on the input values; "
              "tfaot supports Where only inside a dense -> sparse -> dense round trip (NotEqual -> "
              "Where -> GatherNd -> SparseToDense, as feature columns build it; passes/"
              "sparse_round_trip.h), which this graph does not match"},
    {"Bincount", "its output length is its `size` input, which is not a compile-time constant "
                 "where TF builds ragged row partitions (tfaot compiles those only inside a Keras "
                 "TextVectorization layer, docs/strings.md)"},
};

class RejectedOp final : public Op {
 public:
  explicit RejectedOp(const Rejection& r) : r_(r) {}
  std::string_view name() const override { return r_.op; }
  void infer(ir::Node& node) const override { fail("{}: not supported: {}", node.describe(), r_.why); }
  std::string rejection(const ir::Node&) const override { return r_.why; }
  std::vector<Tensor> evaluate(const ir::Node& node, std::span<const Tensor* const>) const override {
    fail("internal error: {} reached evaluation", node.describe());
  }
  void emit(const ir::Node& node, EmitContext&) const override {
    fail("internal error: {} reached emission", node.describe());
  }

 private:
  const Rejection& r_;
};

}  // namespace

std::vector<const Op*> rejected_ops() {
  static const std::vector<RejectedOp> ops = [] {
    std::vector<RejectedOp> v;
    for (const auto& r : kRejections) v.emplace_back(r);
    return v;
  }();
  std::vector<const Op*> out;
  for (const auto& op : ops) out.push_back(&op);
  return out;
}

}  // namespace tfaot::ops
