#include "passes/fuse_text_vectorization.h"

#include "ops/byte_pattern.h"

namespace tfaot::passes {

namespace {

// A failed match: the reason, for the error naming the RaggedTensorToTensor.
struct Mismatch {
  std::string why;
};

[[noreturn]] void mismatch(std::string why) { throw Mismatch{std::move(why)}; }

ir::Value skip(ir::Value v, bool casts = false) {
  while ((v.node->op == "Identity" || (casts && v.node->op == "Cast")) && v.node->inputs.size() == 1)
    v = v.node->inputs[0];
  return v;
}

const Tensor& constant(ir::Value v, const char* what) {
  v = skip(v);
  if (!v.node->is_const()) mismatch(fmt::format("{} is not a constant ({})", what, v.node->describe()));
  return *v.node->value;
}

std::vector<int64_t> ints(ir::Value v, const char* what) {
  const Tensor& t = constant(v, what);
  if (t.dtype() != DType::Int32 && t.dtype() != DType::Int64) mismatch(fmt::format("{} is not an integer", what));
  std::vector<int64_t> out;
  for (int64_t i = 0; i < t.num_elements(); ++i) out.push_back(t.get_int(i));
  return out;
}

ir::Node* expect(ir::Value v, std::string_view op, size_t inputs, const char* what) {
  if (v.node->op != op || v.node->inputs.size() != inputs)
    mismatch(fmt::format("{} is {}, expected {}", what, v.node->describe(), op));
  return v.node;
}

// `v` is from[begin:end] with unit strides and the given shrink mask; end -1 stands for "to the
// end of the dim" (an end_mask bit). begin_mask bits count as begin 0.
void expect_slice(ir::Value v, ir::Value from, const std::vector<int64_t>& begin, const std::vector<int64_t>& end,
                  int64_t shrink, const char* what) {
  ir::Node* s = expect(skip(v, true), "StridedSlice", 4, what);
  if (skip(s->inputs[0], true) != from) mismatch(fmt::format("{} slices {}", what, s->inputs[0].str()));
  auto b = ints(s->inputs[1], what), e = ints(s->inputs[2], what), st = ints(s->inputs[3], what);
  const int64_t bm = s->attr_int("begin_mask", 0), em = s->attr_int("end_mask", 0);
  bool ok = b.size() == begin.size() && e.size() == end.size() && st == std::vector<int64_t>(begin.size(), 1) &&
            s->attr_int("shrink_axis_mask", 0) == shrink && s->attr_int("ellipsis_mask", 0) == 0 &&
            s->attr_int("new_axis_mask", 0) == 0;
  for (size_t d = 0; ok && d < begin.size(); ++d) {
    const int64_t bd = bm >> d & 1 ? 0 : b[d];
    const int64_t ed = em >> d & 1 ? -1 : e[d];
    ok = bd == begin[d] && ed == end[d];
  }
  if (!ok) mismatch(fmt::format("{} ({}) is not the expected slice", what, s->describe()));
}

// splits = RaggedFromValueRowIds(split.indices[:, 0], nrows = split.shape[0]).row_splits.
void expect_row_splits(ir::Value v, ir::Node* split) {
  ir::Node* concat = expect(skip(v), "ConcatV2", 3, "the row splits");
  auto head = ints(concat->inputs[0], "the first row split");
  if (head != std::vector<int64_t>{0} || ints(concat->inputs[2], "the concat axis") != std::vector<int64_t>{0})
    mismatch("the row splits do not start with [0]");
  ir::Node* cumsum = expect(skip(concat->inputs[1]), "Cumsum", 2, "the row splits");
  if (cumsum->attr_bool("exclusive", false) || cumsum->attr_bool("reverse", false) ||
      ints(cumsum->inputs[1], "the cumsum axis") != std::vector<int64_t>{0})
    mismatch("the row splits are not an inclusive forward Cumsum");
  // Bincount; newer TF versions may build DenseBincount (the same without binary_output).
  ir::Value counts = skip(cumsum->inputs[0]);
  ir::Node* bincount =
      expect(counts, counts.node->op == "DenseBincount" ? "DenseBincount" : "Bincount", 3, "the row lengths");
  if (bincount->attr_bool("binary_output", false)) mismatch("the row lengths are a binary Bincount");
  expect_slice(bincount->inputs[0], {split, 0}, {0, 0}, {-1, 1}, 2, "the token row ids");
  if (constant(bincount->inputs[2], "the Bincount weights").num_elements() != 0)
    mismatch("the Bincount has weights");
  // size = Minimum(nrows, Maximum(nrows, _)) = nrows.
  auto is_nrows = [&](ir::Value n) {
    try {
      expect_slice(n, {split, 2}, {0}, {1}, 1, "the row count");
      return true;
    } catch (const Mismatch&) {
      return false;
    }
  };
  ir::Node* mn = expect(skip(bincount->inputs[1], true), "Minimum", 2, "the Bincount size");
  const int i = is_nrows(mn->inputs[0]) ? 0 : 1;
  ir::Node* mx = expect(skip(mn->inputs[1 - i], true), "Maximum", 2, "the Bincount size");
  if (!is_nrows(mn->inputs[i]) || !(is_nrows(mx->inputs[0]) || is_nrows(mx->inputs[1])))
    mismatch("the Bincount size is not the number of rows");
}

struct Standardize {
  std::vector<std::string> steps, patterns, rewrites;
};

// Walks from the split's input back to the layer input, collecting the steps in order.
ir::Value standardization(ir::Value v, Standardize& s) {
  for (;;) {
    ir::Node* n = v.node;
    if ((n->op == "Identity" || n->op == "Squeeze" || n->op == "Reshape" || n->op == "ExpandDims") &&
        !n->inputs.empty()) {
      v = n->inputs[0];
      continue;
    }
    std::string step, pattern, rewrite;
    if (n->op == "StringLower") {
      if (!n->attr_string("encoding", "").empty())
        mismatch(fmt::format("{} lowers with encoding '{}'; only '' (ASCII) is supported", n->describe(),
                             n->attr_string("encoding", "")));
      step = "lower";
    } else if (n->op == "StaticRegexReplace") {
      pattern = n->attr_string("pattern");
      rewrite = n->attr_string("rewrite");
      std::string why;
      if (!ops::parse_byte_pattern(pattern, &why))
        mismatch(fmt::format("{}: regex '{}' is outside the supported subset (docs/strings.md): {}",
                             n->describe(), pattern, why));
      if (rewrite.find('\\') != std::string::npos)
        mismatch(fmt::format("{}: rewrite '{}' uses backslash escapes", n->describe(), rewrite));
      if (!n->attr_bool("replace_global", true))
        mismatch(fmt::format("{} replaces only the first match (replace_global = false)", n->describe()));
      step = "replace";
    } else {
      return v;
    }
    s.steps.insert(s.steps.begin(), step);
    s.patterns.insert(s.patterns.begin(), pattern);
    s.rewrites.insert(s.rewrites.begin(), rewrite);
    v = n->inputs.at(0);
  }
}

// The dense row width of `dense`: StridedSlice(Shape(dense))[1].
void expect_width(ir::Value v, ir::Node* dense, const char* what) {
  ir::Node* s = expect(skip(v, true), "StridedSlice", 4, what);
  ir::Node* shape = expect(skip(s->inputs[0], true), "Shape", 1, what);
  if (skip(shape->inputs[0]).node != dense) mismatch(fmt::format("{} is not the width of the dense ids", what));
  expect_slice(v, {shape, 0}, {1}, {2}, 1, what);
}

// The Keras pad-or-slice conditional on `dense` (see the header): returns it, checked.
ir::Node* pad_or_slice(ir::Graph& graph, ir::Node* dense, int64_t& length) {
  ir::Node* cond = nullptr;
  size_t arg = 0;
  const auto users = graph.users();
  auto it = users.find(dense);
  for (ir::Node* u : it == users.end() ? std::vector<ir::Node*>{} : it->second)
    if (u->op == "If" || u->op == "StatelessIf")
      for (size_t i = 1; i < u->inputs.size(); ++i)
        if (skip(u->inputs[i]).node == dense) cond = u, arg = i - 1;
  if (!cond)
    mismatch("its width depends on the data (no output length in its shape and no Keras pad-or-slice "
             "conditional after it)");
  ir::Node* less = expect(skip(cond->inputs[0]), "Less", 2, "the conditional's predicate");
  expect_width(less->inputs[0], dense, "the predicate's left operand");
  const Tensor& l = constant(less->inputs[1], "the output sequence length");
  if (l.num_elements() != 1) mismatch("the output sequence length is not a scalar");
  length = l.get_int(0);
  if (cond->subgraphs.size() < 2 || !cond->subgraphs[0] || !cond->subgraphs[1] ||
      cond->subgraphs[0]->outputs.size() != 1 || cond->subgraphs[1]->outputs.size() != 1)
    mismatch(fmt::format("{} does not have two one-output branches", cond->describe()));
  // else: dense[:, 0:L].
  const ir::Graph& no = *cond->subgraphs[1];
  expect_slice(skip(no.outputs[0].value), {no.inputs.at(arg).node, 0}, {0, 0}, {-1, length}, 0,
               "the else branch");
  // then: Pad(dense, [[0, 0], [0, k]]) with k = L - w.
  const ir::Graph& yes = *cond->subgraphs[0];
  ir::Node* pad = expect(skip(yes.outputs[0].value), "Pad", 2, "the then branch");
  if (skip(pad->inputs[0]).node != yes.inputs.at(arg).node) mismatch("the then branch does not pad the ids");
  ir::Node* rows = expect(skip(pad->inputs[1]), "Pack", 2, "the paddings");
  ir::Node* cols = expect(skip(rows->inputs[1]), "Pack", 2, "the column paddings");
  if (ints(rows->inputs[0], "the row paddings") != std::vector<int64_t>{0, 0} ||
      ints(cols->inputs[0], "the leading column padding") != std::vector<int64_t>{0})
    mismatch("the then branch pads more than the end of each row");
  ir::Node* k = skip(cols->inputs[1]).node;
  size_t k_arg = 0;
  while (k_arg < yes.inputs.size() && yes.inputs[k_arg].node != k) ++k_arg;
  if (k_arg == yes.inputs.size()) mismatch("the column padding is not a branch argument");
  ir::Node* sub = expect(skip(cond->inputs.at(k_arg + 1)), "Sub", 2, "the column padding");
  if (ints(sub->inputs[0], "the padded length") != std::vector<int64_t>{length})
    mismatch("the then branch pads to another length");
  expect_width(sub->inputs[1], dense, "the padding's subtrahend");
  return cond;
}

bool fuse(ir::Graph& graph, ir::Node* dense) {
  const auto* types = dense->find_attr("row_partition_types");
  if (!types || types->list().s_size() != 1 || types->list().s(0) != "ROW_SPLITS" || dense->inputs.size() != 4)
    mismatch("only one ROW_SPLITS row partition is supported");
  const Tensor& shape = constant(dense->inputs[0], "the shape");
  const Tensor& pad = constant(dense->inputs[2], "the default value");
  if (pad.num_elements() != 1) mismatch("the default value is not a scalar");
  // ids = lookup(split.values).
  ir::Value v = skip(dense->inputs[1]);
  if (v.node->op != "_TableFind" || v.node->inputs.size() != 4)
    mismatch(fmt::format("its values are not vocabulary ids (they come from {}; resolved lookup tables "
                         "are _TableFind)", v.node->describe()));
  ir::Node* find = v.node;
  const Tensor& keys = constant(find->inputs[2], "the vocabulary");
  constant(find->inputs[3], "the vocabulary's ids");
  if (keys.dtype() != DType::String) mismatch("the vocabulary keys are not strings");
  ir::Value tokens = skip(find->inputs[0]);
  if (tokens.node->op != "StringSplitV2" || tokens.index != 1 || tokens.node->inputs.size() != 2)
    mismatch(fmt::format("the looked-up tokens come from {}, not StringSplitV2", tokens.node->describe()));
  ir::Node* split = tokens.node;
  const Tensor& sep = constant(split->inputs[1], "the separator");
  if (sep.dtype() != DType::String || sep.num_elements() != 1 || !sep.strings()[0].empty())
    mismatch(fmt::format("{} splits on a given separator; only whitespace (sep '') is supported", split->describe()));
  if (split->attr_int("maxsplit", -1) >= 0)
    mismatch(fmt::format("{} has maxsplit {}; only -1 is supported", split->describe(), split->attr_int("maxsplit")));
  expect_row_splits(dense->inputs[3], split);
  Standardize st;
  ir::Value x = standardization(split->inputs[0], st);

  int64_t length = -1;
  ir::Value replaced{dense, 0};
  if (shape.num_elements() >= 2 && shape.get_int(shape.num_elements() - 1) >= 0) {
    if (shape.num_elements() != 2) mismatch("the dense ids are not a matrix");
    length = shape.get_int(1);
  } else {
    ir::Node* cond = pad_or_slice(graph, dense, length);
    if (pad.get_double(0) != 0) mismatch("the default value is not 0 but Keras pads with 0");
    replaced = {cond, 0};
  }
  ir::Node* f = graph.add_node(dense->name + "/text_vectorize", "_TextVectorize");
  f->inputs = {x, find->inputs[2], find->inputs[3], find->inputs[1], dense->inputs[2]};
  f->set_attr_int("length", length);
  f->attrs["T"] = dense->attrs["T"];
  auto set_list = [&](const char* name, const std::vector<std::string>& list) {
    auto* a = f->attrs[name].mutable_list();
    for (const auto& s : list) a->add_s(s);
  };
  set_list("steps", st.steps);
  set_list("patterns", st.patterns);
  set_list("rewrites", st.rewrites);
  graph.replace_uses(replaced, {f, 0});
  return true;
}

}  // namespace

bool FuseTextVectorization::run(ir::Graph& graph) {
  bool changed = false;
  for (ir::Node* n : graph.topo_order()) {
    if (n->op != "RaggedTensorToTensor" || graph.find(n->name + "/text_vectorize")) continue;
    try {
      changed |= fuse(graph, n);
    } catch (const Mismatch& m) {
      fail("{}: cannot compile this ragged-to-dense conversion (tfaot compiles the Keras TextVectorization "
           "pattern of passes/fuse_text_vectorization.h): {}", n->describe(), m.why);
    }
  }
  return changed;
}

}  // namespace tfaot::passes
