#include "backend/emitter.h"

#include <algorithm>
#include <cmath>
#include <limits>
#include <map>
#include <set>
#include <sstream>

#include <fmt/format.h>

#include "backend/memory_plan.h"
#include "ops/op.h"
#include "support/identifier.h"

namespace tfaot::backend {

std::string cpp_string_literal(const std::string& s) {
  std::string out = "\"";
  for (unsigned char c : s) {
    // '?' too: "??/" is a trigraph (a backslash) for C++14 and -trigraphs consumers.
    if (c == '"' || c == '\\' || c == '?') out += '\\', out += static_cast<char>(c);
    else if (c < 0x20 || c >= 0x7f) out += fmt::format("\\{:03o}", c);
    else out += static_cast<char>(c);
  }
  return out + "\"";
}

uint64_t estimate_flops(const ir::Node& node) {
  const ops::Op* op = ops::find_op(node.op);
  return op && !node.is_const() ? op->flops(node) : 0;
}

namespace {

// C++ literal of element i of a numeric constant (exact: floats in hexadecimal).
std::string element_literal(const Tensor& t, int64_t i) {
  auto int_lit = [](auto v, const char* suffix) -> std::string {
    using V = decltype(v);
    if constexpr (std::is_signed_v<V>)
      if (v == std::numeric_limits<V>::min()) return fmt::format("({}{} - 1)", v + 1, suffix);
    return fmt::format("{}{}", v, suffix);
  };
  switch (t.dtype()) {
    case DType::Float: {
      float v = t.data<float>()[i];
      if (std::isnan(v)) return "__builtin_nanf(\"\")";
      if (std::isinf(v)) return v > 0 ? "__builtin_inff()" : "-__builtin_inff()";
      return fmt::format("{:a}f", v);
    }
    case DType::Double: {
      double v = t.data<double>()[i];
      if (std::isnan(v)) return "__builtin_nan(\"\")";
      if (std::isinf(v)) return v > 0 ? "__builtin_inf()" : "-__builtin_inf()";
      return fmt::format("{:a}", v);
    }
    case DType::Bool: return t.raw()[i] ? "true" : "false";
    case DType::Int32: return int_lit(t.data<int32_t>()[i], "");
    case DType::Int64: return int_lit(static_cast<long long>(t.data<int64_t>()[i]), "LL");
    case DType::Int8: return int_lit(static_cast<int>(t.data<int8_t>()[i]), "");
    case DType::Int16: return int_lit(static_cast<int>(t.data<int16_t>()[i]), "");
    case DType::UInt8: return fmt::format("{}u", t.data<uint8_t>()[i]);
    case DType::UInt16: return fmt::format("{}u", t.data<uint16_t>()[i]);
    case DType::UInt32: return fmt::format("{}u", t.data<uint32_t>()[i]);
    case DType::UInt64: return fmt::format("{}ULL", t.data<uint64_t>()[i]);
    default: fail("internal error: constant of dtype {} cannot be emitted", dtype_name(t.dtype()));
  }
}

std::string comment_safe(const std::string& s) {
  std::string out;
  for (char c : s) out += (c == '\n' || c == '\r' || c == '\\') ? '_' : c;
  return out;
}

enum class Kind { Input, Output, Weight, Scratch };

struct Storage {
  Kind kind;
  std::string var;  // variable or expression holding the pointer
  DType dtype;
  int buffer = -1;  // Scratch: buffer index
};

class Emitter final : public ops::EmitContext {
 public:
  Emitter(const ir::Graph& g, const UnitOptions& o, WeightPool& w) : graph_(g), opt_(o), weights_(w) {}

  GeneratedUnit run();

  // --- ops::EmitContext
  std::ostream& code() override { return *code_; }
  std::string input(int i) override {
    check_index(i, node_->inputs.size(), "input");
    const Storage& st = storage_of(node_->inputs[i]);
    if (st.kind == Kind::Input || st.kind == Kind::Weight) return st.var;
    return fmt::format("static_cast<const {}*>({})", dtype_cpp(st.dtype), st.var);
  }
  std::string output(int i) override {
    check_index(i, node_->outputs.size(), "output");
    return storage_.at(ir::Value{const_cast<ir::Node*>(node_), i}).var;
  }
  bool output_used(int i) override {
    check_index(i, node_->outputs.size(), "output");
    const ir::Value v{const_cast<ir::Node*>(node_), i};
    for (const auto& n : current_graph_->nodes())
      for (const ir::Value& in : n->inputs)
        if (in == v) return true;
    for (const auto& o : current_graph_->outputs)
      if (o.value == v) return true;
    return false;
  }
  std::string fresh(std::string_view prefix) override {
    return fmt::format("{}_{}", prefix, fresh_counter_++);
  }
  std::string temp_buffer(DType dtype, int64_t count) override {
    if (count < 0) fail("internal error: {}: negative temp buffer size", node_->describe());
    int b = new_buffer(static_cast<uint64_t>(count) * dtype_size(dtype), step_, step_);
    return fmt::format("reinterpret_cast<{}*>(tfaot_s + tfaot_off{})", dtype_cpp(dtype), b);
  }
  std::string constant(const Tensor& t) override;
  void helper(std::string_view key, std::string_view text) override {
    if (helper_keys_.insert(std::string(key)).second) helpers_ << text << "\n";
  }
  void emit_subgraph(const ir::Graph& g, const std::vector<std::string>& inputs,
                     const std::vector<std::string>& outputs,
                     const std::map<ir::Value, std::string>& bound) override;
  const std::vector<std::string>& targets() const override { return opt_.targets; }

 private:
  void check_index(int i, size_t n, const char* what) const {
    if (i < 0 || static_cast<size_t>(i) >= n)
      fail("internal error: {}: emit asked for {} {} of {}", node_->describe(), what, i, n);
  }
  int new_buffer(uint64_t bytes, int first, int last) {
    if (!costs_.empty()) costs_.back().scratch_bytes += bytes;
    buffers_.push_back({bytes, first, last});
    return static_cast<int>(buffers_.size()) - 1;
  }
  const Storage& storage_of(const ir::Value& v);
  void add_weight_bytes(uint64_t bytes) {
    weight_bytes_ += bytes;
    if (!costs_.empty()) costs_.back().weight_bytes += bytes;
  }

  const ir::Graph& graph_;
  const UnitOptions& opt_;
  WeightPool& weights_;
  std::map<ir::Value, Storage> storage_;
  std::vector<BufferRequest> buffers_;
  std::ostringstream node_code_, helpers_, constants_;
  std::set<std::string> helper_keys_;
  std::map<std::pair<DType, std::string>, std::string> inline_consts_;  // bytes -> name
  std::set<uint64_t> used_weight_offsets_;
  uint64_t weight_bytes_ = 0;
  std::vector<NodeCost> costs_;
  std::ostream* code_ = &node_code_;  // where the current op's statements go
  const ir::Node* node_ = nullptr;
  const ir::Graph* current_graph_ = &graph_;  // the graph node_ belongs to
  int step_ = 0;
  int fresh_counter_ = 0;
};

std::string Emitter::constant(const Tensor& t) {
  const std::string type = dtype_cpp(t.dtype());
  if (t.num_elements() == 0) return fmt::format("static_cast<const {}*>(nullptr)", type);
  if (t.dtype() == DType::String) {
    // Views of string literals; ops with big string tables store them as bytes + offsets.
    std::string name = fmt::format("tfaot_sc{}", fresh_counter_++);
    constants_ << "const " << type << " " << name << "[" << t.num_elements() << "] = {";
    for (int64_t i = 0; i < t.num_elements(); ++i)
      constants_ << (i ? ", " : "") << "{" << cpp_string_literal(t.strings()[i]) << ", "
                 << t.strings()[i].size() << "}";
    constants_ << "};\n";
    return name;
  }
  if (t.byte_size() <= opt_.inline_limit) {
    std::string key(reinterpret_cast<const char*>(t.raw()), t.byte_size());
    auto [it, fresh] = inline_consts_.try_emplace({t.dtype(), key}, "");
    if (fresh) {
      it->second = fmt::format("tfaot_c{}", inline_consts_.size() - 1);
      constants_ << "alignas(64) const " << type << " " << it->second << "[" << t.num_elements()
                 << "] = {";
      for (int64_t i = 0; i < t.num_elements(); ++i)
        constants_ << (i ? ", " : "") << element_literal(t, i);
      constants_ << "};\n";
      add_weight_bytes(t.byte_size());
    }
    return it->second;
  }
  uint64_t off = weights_.add(t);
  if (used_weight_offsets_.insert(off).second) add_weight_bytes(t.byte_size());
  return fmt::format("reinterpret_cast<const {}*>(tfaot_w + {})", type, off);
}

void Emitter::emit_subgraph(const ir::Graph& g, const std::vector<std::string>& inputs,
                            const std::vector<std::string>& outputs,
                            const std::map<ir::Value, std::string>& bound) {
  if (inputs.size() != g.inputs.size() || outputs.size() != g.outputs.size())
    fail("internal error: {}: subgraph has {} inputs and {} outputs, {} and {} bound",
         node_->describe(), g.inputs.size(), g.outputs.size(), inputs.size(), outputs.size());
  const ir::Node* const owner = node_;
  const ir::Graph* const owner_graph = current_graph_;
  std::ostream* const out = code_;
  for (size_t i = 0; i < inputs.size(); ++i)
    storage_.insert_or_assign(ir::Value{g.inputs[i].node, 0},
                              Storage{Kind::Input, inputs[i], g.inputs[i].node->output_type(0).dtype});
  for (ir::Node* n : g.topo_order()) {
    if (n->is_const()) continue;
    if (n->op == "Placeholder") {
      if (!storage_.count(ir::Value{n, 0}))
        fail("internal error: {}: subgraph placeholder {} is not bound", owner->describe(), n->name);
      continue;
    }
    const ops::Op* op = ops::find_op(n->op);
    if (!op) fail("internal error: {}: op is not supported", n->describe());
    *out << "// " << comment_safe(n->describe()) << "\n";
    // Every intermediate lives for the whole owning op (the loop), so no two share bytes and
    // no op runs in place: simple, and correct whatever the iteration order.
    for (size_t i = 0; i < n->outputs.size(); ++i) {
      const ir::TensorType& t = n->outputs[i];
      if (!t.is_static()) fail("internal error: output {} of {} has no static type", i, n->describe());
      if (auto b = bound.find(ir::Value{n, static_cast<int>(i)}); b != bound.end()) {
        storage_.insert_or_assign(b->first, Storage{Kind::Output, b->second, t.dtype});
        continue;
      }
      const uint64_t bytes = static_cast<uint64_t>(t.num_elements()) * dtype_size(t.dtype);
      int buffer = new_buffer(bytes, step_, step_);
      std::string var = fresh("tfaot_sv");
      *out << fmt::format("[[maybe_unused]] {0}* const {1} = reinterpret_cast<{0}*>(tfaot_s + tfaot_off{2});\n",
                          dtype_cpp(t.dtype), var, buffer);
      storage_.insert_or_assign(ir::Value{n, static_cast<int>(i)}, Storage{Kind::Scratch, var, t.dtype, buffer});
    }
    node_ = n;
    current_graph_ = &g;
    for (const ir::Value& v : n->inputs)
      if (!v.node->is_const()) storage_of(v);
    std::ostringstream local;
    code_ = &local;
    op->emit(*n, *this);
    code_ = out;
    current_graph_ = owner_graph;
    *out << "{\n";
    std::istringstream lines(local.str());
    for (std::string line; std::getline(lines, line);) *out << (line.empty() ? "" : "  ") << line << "\n";
    *out << "}\n";
  }
  node_ = owner;
  for (size_t j = 0; j < outputs.size(); ++j) {
    if (outputs[j].empty()) continue;
    const ir::Value& v = g.outputs[j].value;
    const ir::TensorType& t = v.node->output_type(v.index);
    const uint64_t bytes = static_cast<uint64_t>(t.num_elements()) * dtype_size(t.dtype);
    if (bytes) *out << "std::memcpy(" << outputs[j] << ", " << storage_of(v).var << ", " << bytes << ");\n";
  }
}

const Storage& Emitter::storage_of(const ir::Value& v) {
  auto it = storage_.find(v);
  if (it != storage_.end()) return it->second;
  if (v.node->is_const()) {
    std::string expr = constant(*v.node->value);
    return storage_.emplace(v, Storage{Kind::Weight, expr, v.node->value->dtype()}).first->second;
  }
  fail("internal error: {} is used before it is computed", v.str());
}

GeneratedUnit Emitter::run() {
  GeneratedUnit unit;
  UnitInfo& info = unit.info;
  info.ns = opt_.ns;
  info.model = opt_.model;
  info.batch_size = opt_.batch_size;
  info.kind = opt_.kind;

  auto require_static = [](const ir::TensorType& t, const std::string& what) {
    if (!t.is_static()) fail("internal error: {} has no static type ({})", what, t.str());
    dtype_cpp(t.dtype);  // throws for types generated code cannot carry
  };

  // Signature inputs bind to the caller's input pointers.
  std::ostringstream prologue;
  for (size_t i = 0; i < graph_.inputs.size(); ++i) {
    const auto& in = graph_.inputs[i];
    const ir::TensorType& t = in.node->output_type(0);
    require_static(t, "input '" + in.key + "'");
    info.inputs.push_back({in.key, t.dtype, t.shape});
    std::string var = fmt::format("tfaot_in{}", i);
    prologue << fmt::format("  [[maybe_unused]] const {0}* const {1} = static_cast<const {0}*>(inputs[{2}]);\n",
                            dtype_cpp(t.dtype), var, i);
    storage_.emplace(ir::Value{in.node, 0}, Storage{Kind::Input, var, t.dtype});
  }

  std::vector<ir::Node*> order;
  for (ir::Node* n : graph_.topo_order())
    if (n->op != "Placeholder" && !n->is_const()) order.push_back(n);
    else if (n->op == "Placeholder" && !storage_.count(ir::Value{n, 0}))
      fail("{}: is not a signature input; feed it as an input or pin it to a value", n->describe());

  // Last step reading each value (signature outputs are read by the final copies).
  std::map<const ir::Node*, int> step_of;
  for (size_t s = 0; s < order.size(); ++s) step_of[order[s]] = static_cast<int>(s);
  const int end_step = static_cast<int>(order.size());
  std::map<ir::Value, int> last_use;
  for (ir::Node* n : order)
    for (const ir::Value& v : n->inputs) last_use[v] = std::max(last_use[v], step_of[n]);

  // Signature outputs computed by the graph are written directly into the caller's buffers
  // (first key wins when several keys share a value).
  std::map<ir::Value, size_t> direct_output;
  for (size_t k = 0; k < graph_.outputs.size(); ++k) {
    const auto& out = graph_.outputs[k];
    const ir::TensorType& t = out.value.node->output_type(out.value.index);
    require_static(t, "output '" + out.key + "'");
    info.outputs.push_back({out.key, t.dtype, t.shape});
    prologue << fmt::format("  [[maybe_unused]] {0}* const tfaot_out{1} = static_cast<{0}*>(outputs[{1}]);\n",
                            dtype_cpp(t.dtype), k);
    if (step_of.count(out.value.node) && !direct_output.count(out.value)) direct_output[out.value] = k;
  }

  std::ostringstream body;
  for (ir::Node* n : order) {
    node_ = n;
    step_ = step_of[n];
    const ops::Op* op = ops::find_op(n->op);
    if (!op) fail("internal error: {}: op is not supported", n->describe());
    costs_.push_back({n->name, n->op, estimate_flops(*n), 0, 0});
    info.flops += costs_.back().flops;
    body << "  // " << comment_safe(n->describe()) << "\n";
    for (size_t i = 0; i < n->outputs.size(); ++i) {
      const ir::TensorType& t = n->outputs[i];
      require_static(t, fmt::format("output {} of {}", i, n->describe()));
      ir::Value v{n, static_cast<int>(i)};
      if (auto d = direct_output.find(v); d != direct_output.end()) {
        storage_.emplace(v, Storage{Kind::Output, fmt::format("tfaot_out{}", d->second), t.dtype});
        continue;
      }
      const uint64_t bytes = static_cast<uint64_t>(t.num_elements()) * dtype_size(t.dtype);
      const int last = last_use.count(v) ? last_use[v] : step_;
      int buffer = -1;
      // Reuse the buffer of an input that dies here (same dtype and size) if the op allows.
      int j = i == 0 ? op->inplace_input(*n) : -1;
      if (j >= 0 && static_cast<size_t>(j) < n->inputs.size()) {
        auto in = storage_.find(n->inputs[j]);
        if (in != storage_.end() && in->second.kind == Kind::Scratch && in->second.dtype == t.dtype &&
            buffers_[in->second.buffer].bytes == bytes && buffers_[in->second.buffer].last == step_) {
          buffer = in->second.buffer;
          buffers_[buffer].last = std::max(buffers_[buffer].last, last);
        }
      }
      if (buffer < 0) buffer = new_buffer(bytes, step_, last);
      std::string var = fmt::format("tfaot_v{}_{}", step_, i);
      body << fmt::format("  [[maybe_unused]] {0}* const {1} = reinterpret_cast<{0}*>(tfaot_s + tfaot_off{2});\n",
                          dtype_cpp(t.dtype), var, buffer);
      storage_.emplace(v, Storage{Kind::Scratch, var, t.dtype, buffer});
    }
    // Checks that computed inputs exist; constants are bound on use (input()), so weights an op
    // replaces by a prepacked copy are not stored a second time.
    for (const ir::Value& v : n->inputs)
      if (!v.node->is_const()) storage_of(v);
    node_code_.str("");
    op->emit(*n, *this);
    body << "  {\n";
    std::istringstream lines(node_code_.str());
    for (std::string line; std::getline(lines, line);) body << (line.empty() ? "" : "    ") << line << "\n";
    body << "  }\n";
  }
  node_ = nullptr;

  // Outputs not written in place: copies from inputs, constants or another output.
  for (size_t k = 0; k < graph_.outputs.size(); ++k) {
    const auto& out = graph_.outputs[k];
    auto d = direct_output.find(out.value);
    if (d != direct_output.end() && d->second == k) continue;
    const auto& t = info.outputs[k];
    uint64_t bytes = static_cast<uint64_t>(t.count()) * dtype_size(t.dtype);
    if (bytes == 0) continue;
    std::string src = d != direct_output.end() ? fmt::format("tfaot_out{}", d->second) : storage_of(out.value).var;
    body << fmt::format("  std::memcpy(tfaot_out{}, {}, {});  // output '{}'\n", k, src, bytes,
                        comment_safe(out.key));
  }
  (void)end_step;

  MemoryPlan plan = plan_memory(buffers_);
  info.scratch_bytes = plan.total_bytes;
  info.peak_live_bytes = plan.peak_live_bytes;
  info.weight_bytes = weight_bytes_;
  info.nodes = std::move(costs_);

  const std::string sname = info.struct_name();
  std::ostringstream src;
  src << "// Generated by tfaot: model '" << comment_safe(opt_.model) << "', batch size " << opt_.batch_size
      << ". Do not edit.\n"
      << "#include <cmath>\n#include <cstddef>\n#include <cstdint>\n#include <cstring>\n\n";
  if (opt_.include_kernels) src << "#include \"tfaot_kernels.h\"\n";
  src << "#include \"" << sname << ".h\"\n\n";
  auto parts = weights_symbol_parts(opt_.ns, opt_.model);
  src << "namespace " << opt_.ns << " {\nnamespace " << parts[parts.size() - 2] << " {\n"
      << "extern const unsigned char data[] __attribute__((visibility(\"hidden\")));\n}\n}  // namespace "
      << opt_.ns << "\n\n";
  src << "namespace {\n"
      << "[[maybe_unused]] const unsigned char* const tfaot_w = ::" << opt_.ns << "::" << parts[parts.size() - 2]
      << "::data;\n";
  for (size_t b = 0; b < buffers_.size(); ++b)
    src << "constexpr std::size_t tfaot_off" << b << " = " << plan.offsets[b] << ";\n";
  src << constants_.str() << helpers_.str() << "}  // namespace\n\n";
  // Multi-target builds compile this file once per target with TFAOT_VARIANT_ENTRY naming a
  // hidden per-target function; a dispatcher then defines run (docs/generated-code.md).
  const std::string params = "(const void* const* inputs, void* const* outputs, void* scratch) noexcept";
  src << "namespace " << opt_.ns << " {\n\n"
      << "#ifdef TFAOT_VARIANT_ENTRY\n"
      << "__attribute__((visibility(\"hidden\"))) void TFAOT_VARIANT_ENTRY" << params << ";\n"
      << "void TFAOT_VARIANT_ENTRY" << params << " {\n"
      << "#else\n"
      << "void " << sname << "::run" << params << " {\n"
      << "#endif\n"
      << "  [[maybe_unused]] unsigned char* const tfaot_s = static_cast<unsigned char*>(scratch);\n"
      << prologue.str() << body.str() << "}\n\n}  // namespace " << opt_.ns << "\n";
  if (!opt_.c_entry.empty())
    src << "\nextern \"C\" void " << opt_.c_entry
        << "(const void* const* inputs, void* const* outputs, void* scratch) {\n  ::" << opt_.ns << "::"
        << sname << "::run(inputs, outputs, scratch);\n}\n";
  unit.source = src.str();
  unit.header = unit_header(info);
  return unit;
}

}  // namespace

GeneratedUnit emit_unit(const ir::Graph& graph, const UnitOptions& options, WeightPool& weights) {
  // The driver validated both (config.cc); this guards every other caller.
  if (const std::string why = model_name_problem(options.model); !why.empty())
    fail("model name '{}' {}", printable(options.model), why);
  if (const std::string why = namespace_problem(options.ns); !why.empty())
    fail("namespace '{}' {}", printable(options.ns), why);
  Emitter e(graph, options, weights);
  return e.run();
}

namespace {
// The ABI's string element, guarded like in the runtime and the kernels (identical everywhere).
std::string string_ref_definition(const UnitInfo& info) {
  auto is_string = [](const TensorInfo& t) { return t.dtype == DType::String; };
  if (std::none_of(info.inputs.begin(), info.inputs.end(), is_string) &&
      std::none_of(info.outputs.begin(), info.outputs.end(), is_string))
    return "";
  return "#ifndef TFAOT_STRING_REF_DEFINED\n#define TFAOT_STRING_REF_DEFINED\nnamespace tfaot {\n"
         "// One element of a string tensor: `size` bytes at `data` (no terminator; data may be null\n"
         "// when size is 0).\nstruct StringRef {\n  const char* data;\n  std::size_t size;\n};\n}  // namespace tfaot\n"
         "#endif\n\n";
}
}  // namespace

std::string unit_header(const UnitInfo& info) {
  const std::string sname = info.struct_name();
  std::string guard = "TFAOT_";
  for (char c : info.ns + "_" + sname) guard += c == ':' ? '_' : static_cast<char>(std::toupper(c));
  std::ostringstream h;
  auto list = [&](auto&& items, auto&& fn) {
    std::string s;
    for (size_t i = 0; i < items.size(); ++i) s += (i ? ", " : "") + fn(items[i]);
    return s;
  };
  auto arr = [&](const char* type, const char* name, const std::vector<TensorInfo>& ts, auto&& fn) {
    if (ts.empty()) h << "  static constexpr " << type << " const* " << name << " = nullptr;\n";
    else h << "  static constexpr " << type << " " << name << "[] = {" << list(ts, fn) << "};\n";
  };
  h << "// Generated by tfaot: model '" << comment_safe(info.model) << "', batch size " << info.batch_size
    << ". Do not edit.\n#ifndef " << guard << "\n#define " << guard << "\n\n#include <cstddef>\n#include <cstdint>\n\n"
    << string_ref_definition(info) << "namespace " << info.ns << " {\n\nstruct "
    // Block code of the dynamic entry is internal to NAME_dyn.o: never exported.
    << (info.kind == "blk" ? "__attribute__((visibility(\"hidden\"))) " : "") << sname << " {\n"
    << "  static constexpr const char* model_name = " << cpp_string_literal(info.model) << ";\n"
    << "  static constexpr std::size_t batch_size = " << info.batch_size << ";\n"
    << "  static constexpr std::size_t num_inputs = " << info.inputs.size() << ", num_outputs = "
    << info.outputs.size() << ";\n";
  auto name = [](const TensorInfo& t) { return cpp_string_literal(t.name); };
  auto dtype = [](const TensorInfo& t) { return cpp_string_literal(dtype_name(t.dtype)); };
  auto rank = [](const TensorInfo& t) { return std::to_string(t.shape.size()); };
  auto count = [](const TensorInfo& t) { return std::to_string(t.count()); };
  arr("const char*", "input_names", info.inputs, name);
  arr("const char*", "output_names", info.outputs, name);
  arr("const char*", "input_dtypes", info.inputs, dtype);
  arr("const char*", "output_dtypes", info.outputs, dtype);
  arr("std::size_t", "input_ranks", info.inputs, rank);
  arr("std::size_t", "output_ranks", info.outputs, rank);
  auto shapes = [&](const char* kind, const std::vector<TensorInfo>& ts) {
    for (size_t i = 0; i < ts.size(); ++i) {
      if (ts[i].shape.empty()) {
        h << "  static constexpr const std::int64_t* " << kind << "_shape_" << i << " = nullptr;  // scalar\n";
        continue;
      }
      h << "  static constexpr std::int64_t " << kind << "_shape_" << i << "[] = {"
        << list(ts[i].shape, [](int64_t d) { return std::to_string(d); }) << "};\n";
    }
  };
  shapes("input", info.inputs);
  shapes("output", info.outputs);
  arr("std::size_t", "input_counts", info.inputs, count);
  arr("std::size_t", "output_counts", info.outputs, count);
  h << "  static constexpr std::size_t scratch_bytes = " << info.scratch_bytes << ";\n"
    << "  // peak_live_bytes: the largest sum of intermediates live at one step, a lower bound\n"
    << "  // for scratch_bytes (the planned arena, buffers reused after their last read)\n"
    << "  static constexpr std::size_t peak_live_bytes = " << info.peak_live_bytes << ";\n"
    << "  static constexpr std::size_t weight_bytes = " << info.weight_bytes << ";\n"
    << "  static constexpr std::uint64_t flops = " << info.flops << "ULL;\n"
    << "  // Runs the model. inputs[i] points to input_counts[i] elements of input_dtypes[i]\n"
    << "  // (row-major), outputs[i] to output_counts[i] elements; scratch to scratch_bytes bytes\n"
    << "  // aligned to 64 (may be null when scratch_bytes is 0). Reentrant: no global mutable\n"
    << "  // state, no heap allocation, no exceptions. Outputs must not overlap inputs.\n"
    << "  static void run(const void* const* inputs, void* const* outputs, void* scratch) noexcept;\n"
    << "};\n\n}  // namespace " << info.ns << "\n\n#endif  // " << guard << "\n";
  return h.str();
}

}  // namespace tfaot::backend
