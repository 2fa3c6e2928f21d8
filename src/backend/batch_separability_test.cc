// Batch separability on hand-built graphs: row-independent models pass, anything mixing rows
// across the batch axis is refused with the node named.
#include "backend/batch_separability.h"

#include <gtest/gtest.h>

#include <functional>

#include "backend/dynamic_entry.h"
#include "passes/pipeline.h"
#include "passes/test_graphs.h"

namespace tfaot::backend {
namespace {

using namespace passes::testing;
using Builder = std::function<void(ir::Graph&, ir::Node* x)>;

// The model built by `body` on x float[n, 4], optimized, at batch sizes 3 and 5.
Separability check(const Builder& body, Shape inner = {4}) {
  auto build = [&](int64_t n) {
    auto g = std::make_unique<ir::Graph>();
    Shape s = {n};
    s.insert(s.end(), inner.begin(), inner.end());
    body(*g, placeholder(*g, "x", DType::Float, s));
    passes::optimize(*g);
    return g;
  };
  auto a = build(3), b = build(5);
  return check_batch_separable(*a, 3, *b, 5);
}

ir::Node* ints(ir::Graph& g, const std::string& name, std::vector<int32_t> v) {
  return g.add_const(name, Tensor::from_vector<int32_t>({static_cast<int64_t>(v.size())}, v));
}

ir::Node* weights(ir::Graph& g, int64_t k, int64_t n) {
  std::vector<float> w(static_cast<size_t>(k * n));
  for (size_t i = 0; i < w.size(); ++i) w[i] = 0.1f * static_cast<float>(i % 7) - 0.3f;
  return g.add_const("w", Tensor::from_vector<float>({k, n}, w));
}

TEST(BatchSeparability, MlpWithSoftmaxAndReshapeIsSeparable) {
  auto s = check([](ir::Graph& g, ir::Node* x) {
    ir::Node* mm = node(g, "mm", "MatMul", {{x, 0}, {weights(g, 4, 6), 0}});
    ir::Node* r = node(g, "relu", "Relu", {{mm, 0}});
    ir::Node* rs = node(g, "rs", "Reshape", {{r, 0}, {ints(g, "shape", {-1, 2, 3}), 0}});
    rs->set_attr_type("Tshape", DType::Int32);
    ir::Node* sum = node(g, "sum", "Sum", {{rs, 0}, {ints(g, "axes", {2}), 0}});
    sum->set_attr_type("Tidx", DType::Int32);
    output(g, "y", {node(g, "sm", "Softmax", {{sum, 0}}), 0});
  });
  EXPECT_TRUE(s.separable) << s.reason;
}

TEST(BatchSeparability, ReductionOverTheBatchIsRefused) {
  auto s = check([](ir::Graph& g, ir::Node* x) {
    ir::Node* mean = node(g, "mean", "Mean", {{x, 0}, {ints(g, "axes", {0}), 0}});
    mean->set_attr_type("Tidx", DType::Int32);
    output(g, "y", {node(g, "sub", "Sub", {{x, 0}, {mean, 0}}), 0});
  });
  EXPECT_FALSE(s.separable);
  EXPECT_NE(s.reason.find("node 'mean' (Mean)"), std::string::npos) << s.reason;
}

TEST(BatchSeparability, SoftmaxAlongTheBatchIsRefused) {
  auto s = check([](ir::Graph& g, ir::Node* x) {
    ir::Node* t = node(g, "t", "Transpose", {{x, 0}, {ints(g, "perm", {1, 0}), 0}});
    t->set_attr_type("Tperm", DType::Int32);
    output(g, "y", {node(g, "sm", "Softmax", {{t, 0}}), 0});
  });
  EXPECT_FALSE(s.separable);
  EXPECT_NE(s.reason.find("'t'"), std::string::npos) << s.reason;
}

TEST(BatchSeparability, ReshapeAcrossRowsIsRefused) {
  auto s = check([](ir::Graph& g, ir::Node* x) {
    ir::Node* rs = node(g, "rs", "Reshape", {{x, 0}, {ints(g, "shape", {-1}), 0}});
    rs->set_attr_type("Tshape", DType::Int32);
    output(g, "y", {rs, 0});
  });
  EXPECT_FALSE(s.separable);
  EXPECT_NE(s.reason.find("not the leading dim"), std::string::npos) << s.reason;
}

TEST(BatchSeparability, MovingTheBatchInwardIsRefused) {
  // ExpandDims at axis 0: [1, n, 4], the batch is no longer the leading dim.
  auto s = check([](ir::Graph& g, ir::Node* x) {
    ir::Node* e = node(g, "e", "ExpandDims", {{x, 0}, {ints(g, "axis", {0}), 0}});
    e->set_attr_type("Tdim", DType::Int32);
    output(g, "y", {e, 0});
  });
  EXPECT_FALSE(s.separable);
}

TEST(DynamicBlocks, SizesFollowTheRowBytes) {
  EXPECT_EQ(dynamic_block_sizes(64), (std::vector<int64_t>{64, 32, 16, 8, 4, 2, 1}));
  EXPECT_EQ(dynamic_block_sizes(32 * 1024), (std::vector<int64_t>{16, 8, 4, 2, 1}));
  EXPECT_EQ(dynamic_block_sizes(10 << 20), (std::vector<int64_t>{8, 4, 2, 1}));
}

}  // namespace
}  // namespace tfaot::backend
