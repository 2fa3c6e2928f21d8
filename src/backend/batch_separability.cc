#include "backend/batch_separability.h"

#include <cstring>
#include <map>

#include <fmt/format.h>

namespace tfaot::backend {

namespace {

enum class Dep { Independent, Batched };

class Checker {
 public:
  Checker(const ir::Graph& a, int64_t na, const ir::Graph& b, int64_t nb) : a_(a), b_(b), na_(na), nb_(nb) {}

  std::string run() {
    if (na_ == nb_ || na_ < 2 || nb_ < 2) return "internal error: separability needs two batch sizes > 1";
    if (a_.size() != b_.size()) return "the optimized graph differs between batch sizes";
    for (const auto& na : a_.nodes()) {
      const ir::Node* nb = b_.find(na->name);
      if (auto e = match(*na, nb); !e.empty()) return e;
    }
    for (const auto& in : a_.inputs)
      if (!batched(ir::Value{in.node, 0}))
        return fmt::format("input '{}' has no leading batch dim", in.key);
    for (const auto& out : a_.outputs)
      if (!batched(out.value)) return fmt::format("output '{}' has no leading batch dim", out.key);
    auto users = a_.users();
    for (const auto& n : a_.nodes())
      if (auto e = check_node(*n, users[n.get()]); !e.empty()) return n->describe() + ": " + e;
    return "";
  }

 private:
  // Same node at both sizes; classifies its outputs.
  std::string match(const ir::Node& x, const ir::Node* y) {
    if (!y || y->op != x.op || y->inputs.size() != x.inputs.size() || y->outputs.size() != x.outputs.size())
      return fmt::format("{}: the optimized graph differs between batch sizes", x.describe());
    for (size_t i = 0; i < x.inputs.size(); ++i)
      if (x.inputs[i].node->name != y->inputs[i].node->name || x.inputs[i].index != y->inputs[i].index)
        return fmt::format("{}: its inputs differ between batch sizes", x.describe());
    twin_[&x] = y;
    back_[y] = &x;
    for (size_t i = 0; i < x.outputs.size(); ++i) {
      const Shape &sa = x.outputs[i].shape, &sb = y->outputs[i].shape;
      Dep d = Dep::Independent;
      if (x.outputs[i].dtype != y->outputs[i].dtype)
        return fmt::format("{}: dtype depends on the batch size", x.describe());
      if (sa != sb) {
        bool scales = sa.size() == sb.size() && !sa.empty() && sa[0] == na_ && sb[0] == nb_ &&
                      std::equal(sa.begin() + 1, sa.end(), sb.begin() + 1);
        if (!scales)
          return fmt::format("{}: output {} has shape {} at batch {} and {} at batch {} (not the leading dim)",
                             x.describe(), i, shape_str(sa), na_, shape_str(sb), nb_);
        d = Dep::Batched;
      }
      dep_[ir::Value{const_cast<ir::Node*>(&x), static_cast<int>(i)}] = d;
    }
    return "";
  }

  bool batched(const ir::Value& v) const {
    auto it = dep_.find(v);
    return it != dep_.end() && it->second == Dep::Batched;
  }

  // A batched constant must repeat one row, the same at both sizes.
  static bool uniform_rows(const Tensor& t, const Tensor& u) {
    const size_t row = t.byte_size() / static_cast<size_t>(t.shape()[0]);
    if (row == 0) return true;
    if (std::memcmp(t.raw(), u.raw(), row) != 0) return false;
    for (size_t off = row; off < t.byte_size(); off += row)
      if (std::memcmp(t.raw(), t.raw() + off, row) != 0) return false;
    for (size_t off = row; off < u.byte_size(); off += row)
      if (std::memcmp(u.raw(), u.raw() + off, row) != 0) return false;
    return true;
  }

  std::string check_const(const ir::Node& n, const std::vector<ir::Node*>& users) const {
    const ir::Node& m = *twin_.at(&n);
    if (batched(ir::Value{const_cast<ir::Node*>(&n), 0}))
      return uniform_rows(*n.value, *m.value) ? "" : "a batch-shaped constant whose rows differ";
    if (*n.value == *m.value) return "";
    for (const ir::Node* u : users)
      for (size_t i = 0; i < u->inputs.size(); ++i)
        if (u->inputs[i].node == &n && !is_shape_operand(*u, static_cast<int>(i)))
          return fmt::format("its value depends on the batch size and {} uses it as data", u->describe());
    return "";
  }

  std::string check_node(const ir::Node& n, const std::vector<ir::Node*>& users) const {
    if (n.is_const()) return check_const(n, users);
    if (n.op == "Placeholder") return "";
    bool any_in = false, all_out = !n.outputs.empty(), any_out = false;
    for (const auto& v : n.inputs) any_in = any_in || batched(v);
    for (size_t i = 0; i < n.outputs.size(); ++i) {
      const bool b = batched(ir::Value{const_cast<ir::Node*>(&n), static_cast<int>(i)});
      all_out = all_out && b;
      any_out = any_out || b;
    }
    if (!any_in && !any_out) return "";
    if (any_in && !all_out) return "it reduces over the batch (a batched input, an unbatched output)";
    if (!n.subgraphs.empty()) return "control flow over batched values";
    auto is_batched_a = [this](const ir::Value& v) { return batched(v); };
    if (auto e = row_independent(n, is_batched_a); !e.empty()) return e;
    // The rule also holds for the other size (constant operands such as a slice's begin).
    const ir::Node& m = *twin_.at(&n);
    auto is_batched_b = [this](const ir::Value& v) {
      auto it = back_.find(v.node);
      return it != back_.end() && batched(ir::Value{const_cast<ir::Node*>(it->second), v.index});
    };
    return row_independent(m, is_batched_b);
  }

  const ir::Graph &a_, &b_;
  int64_t na_, nb_;
  std::map<ir::Value, Dep> dep_;
  std::map<const ir::Node*, const ir::Node*> twin_, back_;  // a -> b, b -> a
};

}  // namespace

Separability check_batch_separable(const ir::Graph& a, int64_t na, const ir::Graph& b, int64_t nb) {
  Separability s;
  s.reason = Checker(a, na, b, nb).run();
  s.separable = s.reason.empty();
  return s;
}

}  // namespace tfaot::backend
