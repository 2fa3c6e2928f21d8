#include "passes/pipeline.h"

#include "ops/control_flow.h"
#include "ops/op.h"
#include "passes/common_subexpression_elimination.h"
#include "passes/conditional_folding.h"
#include "passes/constant_folding.h"
#include "passes/dead_code_elimination.h"
#include "passes/fuse_conv.h"
#include "passes/fuse_dense.h"
#include "passes/fuse_text_vectorization.h"
#include "passes/hoist_input_projection.h"
#include "passes/identity_elimination.h"
#include "passes/prune_loop_variables.h"
#include "passes/random_elimination.h"
#include "passes/shape_inference.h"
#include "passes/subgraph_constants.h"
#include "passes/sparse_round_trip.h"
#include "passes/switch_merge_resolution.h"

namespace tfaot::passes {

void specialize(ir::Graph& graph, const SpecializeOptions& options) {
  if (options.batch_size < 1) fail("batch size must be positive, got {}", options.batch_size);
  for (auto& in : graph.inputs) {
    const ir::TensorType& declared = in.type;
    Shape shape;
    auto it = options.input_shapes.find(in.key);
    if (it != options.input_shapes.end()) {
      shape = it->second;
      for (auto& d : shape) {
        if (d == -1) d = options.batch_size;
        else if (d < 0) fail("compilation.input_shapes: input '{}' has invalid dim {}", in.key, d);
      }
      if (declared.rank_known) {
        bool compatible = declared.shape.size() == shape.size();
        for (size_t i = 0; compatible && i < shape.size(); ++i)
          compatible = declared.shape[i] < 0 || declared.shape[i] == shape[i];
        if (!compatible)
          fail("compilation.input_shapes: shape {} of input '{}' contradicts its declared shape {}",
               shape_str(shape), in.key, shape_str(declared.shape));
      }
    } else {
      if (!declared.rank_known)
        fail("input '{}' ({}) has unknown rank; give its shape with compilation.input_shapes",
             in.key, in.tensor_name);
      shape = declared.shape;
      for (size_t i = 0; i < shape.size(); ++i) {
        if (shape[i] >= 0) continue;
        if (i == 0) shape[i] = options.batch_size;
        else
          fail("input '{}' ({}) has an unknown dimension {} in {}; give its shape with "
               "compilation.input_shapes",
               in.key, in.tensor_name, i, shape_str(declared.shape));
      }
    }
    in.node->outputs = {ir::TensorType{declared.dtype, shape, true}};
  }
}

std::map<std::string, std::vector<std::string>> unsupported_ops(const ir::Graph& graph) {
  std::map<std::string, std::vector<std::string>> result;
  for (const auto& n : graph.nodes()) {
    const ops::Op* op = ops::find_op(n->op);
    if (!op || !op->rejection(*n).empty()) result[n->op].push_back(n->name);
    // Loop cond/body, branches (the front end's originals; specialized copies hold the same
    // ops).
    for (size_t k = 0; k < ops::pristine_subgraph_count(*n); ++k)
      for (auto& [op, names] : unsupported_ops(*n->subgraphs[k]))
        for (auto& name : names) result[op].push_back(n->name + "/" + name);
  }
  return result;
}

void resolve_constant_control_flow(ir::Graph& graph) {
  // A folded If may bring TF1 conditionals along, and a resolved Merge a constant predicate.
  for (bool again = true; again;) {
    IdentityElimination().run(graph);
    again = SwitchMergeResolution().run(graph);
    again |= ConditionalFolding().run(graph);
    DeadCodeElimination().run(graph);
  }
  SubgraphConstants().run(graph);
  for (const auto& n : graph.nodes())
    for (size_t k = 0; k < ops::pristine_subgraph_count(*n); ++k)
      resolve_constant_control_flow(*n->subgraphs[k]);
}

void optimize(ir::Graph& graph) {
  // Loop subgraphs (specialized by the While op's inference) get this same pipeline.
  ops::set_subgraph_optimizer([](ir::Graph& g) { optimize(g); });
  // Conditionals on pinned predicates go first: TF1's need the control edges that DCE strips,
  // and they decide which branch's ops must be supported at all.
  resolve_constant_control_flow(graph);
  if (SparseRoundTrip().run(graph)) DeadCodeElimination().run(graph);  // before Where is seen
  // Before the ragged string ops are seen: a TextVectorization chain becomes _TextVectorize.
  if (FuseTextVectorization().run(graph)) DeadCodeElimination().run(graph);
  auto unsupported = unsupported_ops(graph);
  if (!unsupported.empty()) {
    const auto& [op, nodes] = *unsupported.begin();
    std::string more = nodes.size() > 1 ? fmt::format(" (and {} more)", nodes.size() - 1) : "";
    std::string others =
        unsupported.size() > 1 ? fmt::format("; {} other unsupported op types", unsupported.size() - 1) : "";
    const ops::Op* known = ops::find_op(op);
    const ir::Node* first = graph.find(nodes.front());
    std::string why = known && first ? known->rejection(*first) : "";
    if (!why.empty()) why = ": " + why;
    fail("unsupported op '{}' used by node '{}'{}{}{}", op, nodes.front(), more, why, others);
  }
  std::vector<std::unique_ptr<Pass>> pipeline;
  pipeline.push_back(std::make_unique<IdentityElimination>());
  pipeline.push_back(std::make_unique<ConditionalFolding>());
  pipeline.push_back(std::make_unique<ShapeInference>());
  pipeline.push_back(std::make_unique<RandomElimination>());
  pipeline.push_back(std::make_unique<DeadCodeElimination>());
  pipeline.push_back(std::make_unique<CommonSubexpressionElimination>());
  pipeline.push_back(std::make_unique<DeadCodeElimination>());
  // Last: it adds untyped nodes, which the next round's ShapeInference types.
  pipeline.push_back(std::make_unique<HoistInputProjection>());
  pipeline.push_back(std::make_unique<PruneLoopVariables>());
  run_to_fixpoint(graph, pipeline);
  // Dense layers -> _FusedDense (prepacked GEMM + epilogue); DCE drops what it replaced.
  if (FuseDense().run(graph)) DeadCodeElimination().run(graph);
  // Convolutions + bias / batch norm / activation -> _FusedConv2D (epilogue in the kernel).
  if (FuseConv().run(graph)) DeadCodeElimination().run(graph);
  graph.verify();
  // Inference code is deterministic: a random draw that can change a result is an error.
  for (const auto& n : graph.nodes())
    if (n->op == "RandomUniform" || n->op == "RandomStandardNormal" || n->op == "TruncatedNormal")
      fail("{} can change the model's outputs; tfaot does not generate random numbers in "
           "inference code (pin the input that disables it, e.g. keep_prob = 1 or "
           "keras_learning_phase = false)", n->describe());
}

}  // namespace tfaot::passes
