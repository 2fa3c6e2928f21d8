// The op contract. Every TensorFlow op tfaot supports has one home (a file in src/ops/) that
// implements this interface and one line in registry.cc:
//   - infer:    validate attributes and input types, set node.outputs (dtype + static shape);
//   - evaluate: the plain, obviously-correct reference semantics (the oracle for generated
//               code, and what constant folding runs);
//   - emit:     C++ statements for the generated run function, specialized to static shapes.
// Operands are named as in TensorFlow's op definitions (input 0 of MatMul is `a`, ...).
#pragma once

#include <map>
#include <ostream>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "ir/graph.h"

namespace tfaot::ops {

// What an op's emit() may use. Implemented by the back end.
class EmitContext {
 public:
  virtual ~EmitContext() = default;
  // Where statements go (inside the run function; already indented by the caller).
  virtual std::ostream& code() = 0;
  // C++ expression of type `const T*` for data input i (row-major, static shape).
  virtual std::string input(int i) = 0;
  // C++ expression of type `T*` for output i. May alias an input only if the op said so via
  // inplace_input().
  virtual std::string output(int i) = 0;
  // Whether anything reads output i (a later node of the same graph or a graph output).
  virtual bool output_used(int i) = 0;
  // A fresh identifier starting with `prefix` (for locals).
  virtual std::string fresh(std::string_view prefix) = 0;
  // Op-internal temporary buffer of `count` elements of `dtype`, valid during this op only;
  // returns an expression of type `T*` (64-byte aligned, inside the caller's scratch).
  virtual std::string temp_buffer(DType dtype, int64_t count) = 0;
  // A read-only array with the data of `t` (weights, tables, prepacked panels) at file scope;
  // returns an expression of type `const T*`. Identical data is stored once per model.
  virtual std::string constant(const Tensor& t) = 0;
  // File-scope helper code emitted once per translation unit under `key`.
  virtual void helper(std::string_view key, std::string_view code) = 0;
  // The -march values this code will be compiled for (compilation.target; several for a
  // run-time dispatch object, which compiles the same source once per target): constant
  // layouts chosen at emission time must suit all of them.
  virtual const std::vector<std::string>& targets() const = 0;
  // Emits the nodes of `g` (a loop's cond or body) into code(): Placeholder input i reads
  // `inputs[i]` (a pointer expression), output j is copied into `outputs[j]` (a `T*`
  // expression; skipped when empty). Its intermediates live in scratch for the whole current
  // op; the emitted code allocates nothing, so it may run inside a loop. Values of g listed in
  // `bound` are computed directly into the given `T*` buffer instead (a loop variable updated
  // in place); the caller guarantees nothing reads that buffer's old contents afterwards.
  virtual void emit_subgraph(const ir::Graph& g, const std::vector<std::string>& inputs,
                             const std::vector<std::string>& outputs,
                             const std::map<ir::Value, std::string>& bound = {}) = 0;
};

class Op {
 public:
  virtual ~Op() = default;
  virtual std::string_view name() const = 0;
  // Validates attrs and input types and sets node.outputs. Input types are known (static
  // after specialization); constant inputs are available via node.const_input(i). Throws
  // Error naming the node (node.describe()) on anything invalid.
  virtual void infer(ir::Node& node) const = 0;
  // Reference semantics: one Tensor per output.
  virtual std::vector<Tensor> evaluate(const ir::Node& node,
                                       std::span<const Tensor* const> inputs) const = 0;
  // Emits the computation into ctx. Every input and output has a static type.
  virtual void emit(const ir::Node& node, EmitContext& ctx) const = 0;
  // False for ops that must not be constant-folded (random, stateful).
  virtual bool foldable() const { return true; }
  // Index of an input whose buffer the output 0 may reuse (same size and dtype), or -1.
  virtual int inplace_input(const ir::Node&) const { return -1; }
  // Arithmetic operations of one evaluation (a multiply-add counts 2), for reports only
  // (tfaot-inspect --summary, the roofline estimate, the header's `flops`). The default, one
  // per output element, fits elementwise ops; contractions, convolutions, pooling and
  // reductions count exactly; pure data movement returns 0.
  virtual uint64_t flops(const ir::Node& node) const;
  // Non-empty when tfaot knows the op but cannot compile this node (src/ops/rejected_ops.cc,
  // unresolved lookup tables): why. Such nodes count as unsupported (tfaot-check) and the
  // compile-time error says why.
  virtual std::string rejection(const ir::Node&) const { return {}; }
};

// One operation per output element (the default of Op::flops).
uint64_t elementwise_flops(const ir::Node& node);

// The registry: every supported op by TF op name (nullptr if unsupported).
const Op* find_op(std::string_view op_name);
// Sorted names of all supported ops (for `tfaot-check --table` and docs).
std::vector<std::string> op_names();

}  // namespace tfaot::ops
