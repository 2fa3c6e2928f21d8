// Lookup tables with contents known at compile time (src/frontend/tables.h resolves them).
//   _TableFind(keys, default_value, table_keys, table_values): TF's LookupTableFindV2 on a
//     HashTableV2 / MutableHashTableV2 with scalar values: out[i] = table[keys[i]], or
//     default_value when absent. Output shape = keys' shape. The table is sorted at emit time
//     into read-only data (string keys as one byte blob plus int64 offsets) and searched by
//     bisection; the reference uses a std::map built from the unsorted table.
//   LookupTableFindV2: only reached when the front end could not resolve the table; its infer
//     reports why (a compile-time error naming the node).
#include <algorithm>
#include <map>
#include <numeric>

#include "ops/op_util.h"

namespace tfaot::ops {
namespace {

// Element i of a table key tensor as a comparable key.
struct Key {
  std::string s;
  int64_t i = 0;
  bool operator<(const Key& o) const { return s != o.s ? s < o.s : i < o.i; }
};

Key key_at(const Tensor& t, int64_t i) {
  if (t.dtype() == DType::String) return {t.strings()[i], 0};
  return {"", t.get_int(i)};
}

const std::initializer_list<DType> kKeyTypes = {DType::String, DType::Int64, DType::Int32};

class TableFindOp final : public Op {
 public:
  std::string_view name() const override { return "_TableFind"; }

  void infer(ir::Node& node) const override {
    check_num_inputs(node, 4);
    check_static_inputs(node);
    const DType k = node.input_type(0).dtype, v = node.input_type(1).dtype;
    check_dtype(node, k, kKeyTypes, "keys");
    check_dtype(node, v, kAllTypes, "default_value");
    if (node.input_type(2).dtype != k || node.input_type(3).dtype != v)
      fail("{}: the table maps {} to {}, but keys are {} and default_value is {}", node.describe(),
           dtype_name(node.input_type(2).dtype), dtype_name(node.input_type(3).dtype), dtype_name(k),
           dtype_name(v));
    if (node.input_type(1).num_elements() != 1)
      fail("{}: default_value must be a scalar (tables with vector values are not supported), got {}",
           node.describe(), node.input_type(1).str());
    const Tensor& keys = require_const(node, 2, "table keys");
    const Tensor& values = require_const(node, 3, "table values");
    if (keys.rank() != 1 || values.shape() != keys.shape())
      fail("{}: table keys {} and values {} must be vectors of one length (scalar values)",
           node.describe(), shape_str(keys.shape()), shape_str(values.shape()));
    table(node);  // rejects conflicting duplicates
    node.outputs = {ir::TensorType{v, node.input_type(0).shape, true}};
  }

  std::vector<Tensor> evaluate(const ir::Node& node, std::span<const Tensor* const> in) const override {
    const auto index = table(node);
    const Tensor& keys = *in[0];
    Tensor out(node.output_type(0).dtype, keys.shape());
    const size_t es = dtype_size(out.dtype());
    for (int64_t i = 0; i < keys.num_elements(); ++i) {
      auto it = index.find(key_at(keys, i));
      const uint8_t* src = it == index.end() ? in[1]->raw() : in[3]->raw() + it->second * es;
      std::memcpy(out.raw() + i * es, src, es);
    }
    return {out};
  }

  void emit(const ir::Node& node, EmitContext& ctx) const override {
    const Tensor& keys = *node.const_input(2);
    const Tensor& values = *node.const_input(3);
    const int64_t n = node.input_type(0).num_elements(), size = keys.num_elements();
    if (n == 0) return;
    // Unique keys in ascending order (the order of compare_bytes / operator<).
    std::vector<int64_t> order;
    for (const auto& [key, i] : table(node)) order.push_back(i);
    const int64_t unique = static_cast<int64_t>(order.size());
    Tensor sorted_values(values.dtype(), {unique});
    const size_t es = dtype_size(values.dtype());
    for (int64_t j = 0; j < unique; ++j)
      std::memcpy(sorted_values.raw() + j * es, values.raw() + order[j] * es, es);
    auto& os = ctx.code();
    const std::string vals = ctx.constant(sorted_values);
    if (keys.dtype() == DType::String) {
      Tensor offsets(DType::Int64, {unique + 1});
      std::string blob;
      for (int64_t j = 0; j < unique; ++j) {
        offsets.data<int64_t>()[j] = static_cast<int64_t>(blob.size());
        blob += keys.strings()[order[j]];
      }
      offsets.data<int64_t>()[unique] = static_cast<int64_t>(blob.size());
      Tensor bytes(DType::UInt8, {std::max<int64_t>(1, static_cast<int64_t>(blob.size()))});
      std::copy(blob.begin(), blob.end(), bytes.data<uint8_t>());
      os << "tfaot_kernels::table_find<" << n << ", " << unique << ">(" << ctx.input(0) << ", "
         << ctx.constant(offsets) << ", reinterpret_cast<const char*>(" << ctx.constant(bytes) << "), " << vals
         << ", " << ctx.input(1) << ", " << ctx.output(0) << ");\n";
    } else {
      Tensor sorted_keys(keys.dtype(), {unique});
      for (int64_t j = 0; j < unique; ++j)
        std::memcpy(sorted_keys.raw() + j * dtype_size(keys.dtype()),
                    keys.raw() + order[j] * dtype_size(keys.dtype()), dtype_size(keys.dtype()));
      os << "tfaot_kernels::table_find<" << n << ", " << unique << ">(" << ctx.input(0) << ", "
         << ctx.constant(sorted_keys) << ", " << vals << ", " << ctx.input(1) << ", " << ctx.output(0) << ");\n";
    }
    (void)size;
  }

 private:
  // Key -> index of its first occurrence. A key listed twice with different values is an
  // error (TF's HashTable refuses it at initialization).
  static std::map<Key, int64_t> table(const ir::Node& node) {
    const Tensor& keys = *node.const_input(2);
    const Tensor& values = *node.const_input(3);
    const size_t es = dtype_size(values.dtype());
    std::map<Key, int64_t> index;
    for (int64_t i = 0; i < keys.num_elements(); ++i) {
      auto [it, fresh] = index.emplace(key_at(keys, i), i);
      if (!fresh && std::memcmp(values.raw() + it->second * es, values.raw() + i * es, es) != 0)
        fail("{}: table '{}' has key {} twice with different values", node.describe(),
             node.attr_string("_tfaot_table", "?"),
             keys.dtype() == DType::String ? "'" + keys.strings()[i] + "'" : std::to_string(keys.get_int(i)));
    }
    return index;
  }
};

class UnresolvedFindOp final : public Op {
 public:
  std::string_view name() const override { return "LookupTableFindV2"; }
  void infer(ir::Node& node) const override { fail("{}: {}", node.describe(), rejection(node)); }
  std::string rejection(const ir::Node& node) const override {
    return "the lookup table is not known at compile time: " +
           node.attr_string("_tfaot_unresolved", "its table is not a resolved HashTableV2/MutableHashTableV2");
  }
  std::vector<Tensor> evaluate(const ir::Node& node, std::span<const Tensor* const>) const override {
    fail("internal error: {} was not resolved", node.describe());
  }
  void emit(const ir::Node& node, EmitContext&) const override {
    fail("internal error: {} was not resolved", node.describe());
  }
};

}  // namespace

std::vector<const Op*> lookup_table_ops() {
  static const TableFindOp find;
  static const UnresolvedFindOp unresolved;
  return {&find, &unresolved};
}

}  // namespace tfaot::ops
