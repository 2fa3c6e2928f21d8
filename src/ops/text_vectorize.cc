// _TextVectorize(x, table_keys, table_values, default_value, pad_value): a Keras
// TextVectorization layer with output_mode "int" and a fixed output_sequence_length, fused by
// passes/fuse_text_vectorization.h from TF's chain
//   StringLower / StaticRegexReplace (standardize) -> StringSplitV2 (whitespace) ->
//   LookupTableFindV2 (vocabulary) -> RaggedTensorToTensor (+ Keras' pad-or-slice to length).
// Output [N, length] of the table's value type, N = number of elements of x (row-major):
// row i holds the ids of the first `length` tokens of string i, then pad_value.
// Attributes: steps (list of "lower" | "replace", applied in order), patterns and rewrites
// (aligned with steps; used by "replace"), length, T.
//   lower:   TF's StringLower with encoding "" (ASCII letters only);
//   replace: StaticRegexReplace(pattern, rewrite, replace_global=true) with a one-byte pattern
//            (ops/byte_pattern.h) and a literal rewrite;
//   split:   StringSplitV2 with sep "" and maxsplit -1: runs of ASCII whitespace
//            (" \t\n\v\f\r") separate tokens, no empty tokens.
// The reference builds each standardized string and its token list; the generated code maps
// every byte through a 256-entry table (all steps are per-byte maps), splits on the fly and
// looks each kept token up in the sorted vocabulary. A token longer than the longest key is
// not looked up (it cannot be a key), so a token buffer of that length suffices: no heap.
#include <algorithm>
#include <map>

#include "ops/byte_pattern.h"
#include "ops/op_util.h"

namespace tfaot::ops {
namespace {

std::vector<std::string> list_attr(const ir::Node& node, const char* name) {
  const auto* a = node.find_attr(name);
  if (!a) return {};
  return {a->list().s().begin(), a->list().s().end()};
}

struct Step {
  bool lower = false;
  ByteSet set;
  std::string rewrite;
};

std::vector<Step> parse_steps(const ir::Node& node) {
  const auto steps = list_attr(node, "steps"), patterns = list_attr(node, "patterns"),
             rewrites = list_attr(node, "rewrites");
  if (patterns.size() != steps.size() || rewrites.size() != steps.size())
    fail("{}: attributes steps, patterns and rewrites must have one length", node.describe());
  std::vector<Step> out;
  for (size_t i = 0; i < steps.size(); ++i) {
    Step s;
    if (steps[i] == "lower") {
      s.lower = true;
    } else if (steps[i] == "replace") {
      std::string why;
      auto set = parse_byte_pattern(patterns[i], &why);
      if (!set) fail("{}: regex '{}' is outside the supported subset: {}", node.describe(), patterns[i], why);
      if (rewrites[i].find('\\') != std::string::npos)
        fail("{}: rewrite '{}' uses backslash escapes (groups), which are not supported", node.describe(),
             rewrites[i]);
      s.set = *set;
      s.rewrite = rewrites[i];
    } else {
      fail("{}: unknown standardization step '{}'", node.describe(), steps[i]);
    }
    out.push_back(std::move(s));
  }
  return out;
}

std::string standardize(const std::vector<Step>& steps, std::string s) {
  for (const auto& step : steps) {
    if (step.lower)
      for (char& c : s)
        if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
    if (!step.lower) s = replace_bytes(s, step.set, step.rewrite);
  }
  return s;
}

bool is_space(char c) { return c == ' ' || c == '\t' || c == '\n' || c == '\v' || c == '\f' || c == '\r'; }

// TF's StringSplitV2(sep="", maxsplit=-1).
std::vector<std::string> split_whitespace(const std::string& s) {
  std::vector<std::string> tokens;
  size_t i = 0;
  while (i < s.size()) {
    while (i < s.size() && is_space(s[i])) ++i;
    size_t j = i;
    while (j < s.size() && !is_space(s[j])) ++j;
    if (j > i) tokens.push_back(s.substr(i, j - i));
    i = j;
  }
  return tokens;
}

class TextVectorizeOp final : public Op {
 public:
  std::string_view name() const override { return "_TextVectorize"; }

  void infer(ir::Node& node) const override {
    check_num_inputs(node, 5);
    check_static_inputs(node);
    check_dtype(node, node.input_type(0).dtype, {DType::String}, "x");
    const DType v = node.input_type(2).dtype;
    check_dtype(node, v, kNumberTypes, "table values");
    const Tensor& keys = require_const(node, 1, "table keys");
    const Tensor& values = require_const(node, 2, "table values");
    if (keys.dtype() != DType::String || keys.rank() != 1 || values.shape() != keys.shape())
      fail("{}: the table must map a vector of strings to a vector of numbers of one length, got {} -> {}",
           node.describe(), node.input_type(1).str(), node.input_type(2).str());
    for (int i : {3, 4})
      if (node.input_type(i).dtype != v || node.input_type(i).num_elements() != 1)
        fail("{}: input {} must be a {} scalar, got {}", node.describe(), i, dtype_name(v), node.input_type(i).str());
    const int64_t length = node.attr_int("length");
    if (length < 0) fail("{}: length must be >= 0, got {}", node.describe(), length);
    parse_steps(node);
    table(node);
    node.outputs = {ir::TensorType{v, {node.input_type(0).num_elements(), length}, true}};
  }

  std::vector<Tensor> evaluate(const ir::Node& node, std::span<const Tensor* const> in) const override {
    const auto steps = parse_steps(node);
    const auto index = table(node);
    const int64_t length = node.attr_int("length");
    const Tensor& x = *in[0];
    Tensor out(in[2]->dtype(), {x.num_elements(), length});
    const size_t es = dtype_size(out.dtype());
    for (int64_t i = 0; i < x.num_elements(); ++i) {
      const auto tokens = split_whitespace(standardize(steps, x.strings()[i]));
      for (int64_t j = 0; j < length; ++j) {
        const uint8_t* src = in[4]->raw();
        if (j < static_cast<int64_t>(tokens.size())) {
          auto it = index.find(tokens[j]);
          src = it == index.end() ? in[3]->raw() : in[2]->raw() + it->second * es;
        }
        std::memcpy(out.raw() + (i * length + j) * es, src, es);
      }
    }
    return {out};
  }

  void emit(const ir::Node& node, EmitContext& ctx) const override {
    const auto steps = parse_steps(node);
    const int64_t n = node.input_type(0).num_elements(), length = node.attr_int("length");
    if (n == 0 || length == 0) return;
    // Byte map: byte b becomes standardize(b), at map_bytes[map_offsets[b], map_offsets[b+1]).
    Tensor map_offsets(DType::Int32, {257});
    std::string map;
    for (int b = 0; b < 256; ++b) {
      map_offsets.data<int32_t>()[b] = static_cast<int32_t>(map.size());
      map += standardize(steps, std::string(1, static_cast<char>(b)));
    }
    map_offsets.data<int32_t>()[256] = static_cast<int32_t>(map.size());
    // Vocabulary sorted bytewise (the order of tfaot_kernels::compare_bytes).
    const Tensor& values = *node.const_input(2);
    const auto index = table(node);
    const int64_t unique = static_cast<int64_t>(index.size());
    const size_t es = dtype_size(values.dtype());
    Tensor sorted_values(values.dtype(), {std::max<int64_t>(1, unique)});
    Tensor offsets(DType::Int64, {unique + 1});
    std::string blob;
    size_t max_key = 0;
    int64_t j = 0;
    for (const auto& [key, i] : index) {
      std::memcpy(sorted_values.raw() + j * es, values.raw() + i * es, es);
      offsets.data<int64_t>()[j++] = static_cast<int64_t>(blob.size());
      blob += key;
      max_key = std::max(max_key, key.size());
    }
    offsets.data<int64_t>()[unique] = static_cast<int64_t>(blob.size());
    auto& os = ctx.code();
    os << "tfaot_kernels::text_vectorize<" << n << ", " << length << ", " << unique << ", " << max_key << ">("
       << ctx.input(0) << ", " << ctx.constant(map_offsets) << ", " << bytes(ctx, map) << ", "
       << ctx.constant(offsets) << ", " << bytes(ctx, blob) << ", " << ctx.constant(sorted_values) << ", "
       << ctx.input(3) << ", " << ctx.input(4) << ", " << ctx.output(0) << ");\n";
  }

  uint64_t flops(const ir::Node&) const override { return 0; }

 private:
  static std::string bytes(EmitContext& ctx, const std::string& s) {
    Tensor t(DType::UInt8, {std::max<int64_t>(1, static_cast<int64_t>(s.size()))});
    std::copy(s.begin(), s.end(), t.data<uint8_t>());
    return "reinterpret_cast<const char*>(" + ctx.constant(t) + ")";
  }

  // Key -> index of its first occurrence; conflicting duplicates are an error (as in TF).
  static std::map<std::string, int64_t> table(const ir::Node& node) {
    const Tensor& keys = *node.const_input(1);
    const Tensor& values = *node.const_input(2);
    const size_t es = dtype_size(values.dtype());
    std::map<std::string, int64_t> index;
    for (int64_t i = 0; i < keys.num_elements(); ++i) {
      auto [it, fresh] = index.emplace(keys.strings()[i], i);
      if (!fresh && std::memcmp(values.raw() + it->second * es, values.raw() + i * es, es) != 0)
        fail("{}: the vocabulary has key '{}' twice with different values", node.describe(), keys.strings()[i]);
    }
    return index;
  }
};

}  // namespace

std::vector<const Op*> text_vectorize_ops() {
  static const TextVectorizeOp op;
  return {&op};
}

}  // namespace tfaot::ops
