// The op registry: one line per op file. Adding an op = its file + one line here + its test.
#include <algorithm>
#include <map>

#include "ops/op.h"
#include "ops/op_list.h"

namespace tfaot::ops {

namespace {
const std::map<std::string, const Op*, std::less<>>& registry() {
  static const auto* table = [] {
    auto* m = new std::map<std::string, const Op*, std::less<>>();
    auto add = [&](const std::vector<const Op*>& ops) {
      for (const Op* op : ops) (*m)[std::string(op->name())] = op;
    };
#define TFAOT_REGISTER(fn) add(fn());
    TFAOT_OP_FILES(TFAOT_REGISTER)
#undef TFAOT_REGISTER
    return m;
  }();
  return *table;
}
}  // namespace

const Op* find_op(std::string_view op_name) {
  const auto& r = registry();
  auto it = r.find(op_name);
  return it == r.end() ? nullptr : it->second;
}

uint64_t elementwise_flops(const ir::Node& node) {
  uint64_t total = 0;
  for (const auto& t : node.outputs) total += static_cast<uint64_t>(std::max<int64_t>(0, t.num_elements()));
  return total;
}

uint64_t Op::flops(const ir::Node& node) const { return elementwise_flops(node); }

std::vector<std::string> op_names() {
  std::vector<std::string> names;
  for (const auto& [name, op] : registry()) names.push_back(name);
  return names;
}

}  // namespace tfaot::ops
