// Resource limits in the front end, on tiny hand-built inputs with the limits lowered: a
// checkpoint entry or constant larger than tensor-bytes, variables larger than weight-bytes
// together, a graph larger than graph-nodes after inlining. Each is one Error naming the
// tensor/node and the limit.
#include <gtest/gtest.h>

#include "bundle_writer.h"
#include "frontend/checkpoint.h"
#include "frontend/loader.h"
#include "frontend/tensor_proto.h"
#include "frontend/test_fixtures.h"
#include "support/limits.h"
#include "test_util.h"

namespace tfaot::frontend {
namespace {

using namespace fixtures;
using test::TempDir;

// `fn` must throw one Error (one line) containing every string of `parts`.
void expect_error(const std::function<void()>& fn, const std::vector<std::string>& parts) {
  try {
    fn();
    ADD_FAILURE() << "expected an Error";
  } catch (const Error& e) {
    const std::string msg = e.what();
    EXPECT_EQ(msg.find('\n'), std::string::npos) << msg;
    for (const auto& p : parts) EXPECT_NE(msg.find(p), std::string::npos) << msg << "\n  lacks: " << p;
  }
}

LoadOptions opts(const fs::path& path) {
  LoadOptions o;
  o.path = path;
  return o;
}

TEST(Limits, CheckpointEntryOverTensorBytes) {
  TempDir dir;
  const auto prefix = dir.path() / "variables";
  test::write_bundle(prefix, {{"small", Tensor(DType::Float, {4})}, {"big", Tensor(DType::Float, {64})}});
  EXPECT_NO_THROW(CheckpointReader{prefix});
  ScopedLimit low(Limit::TensorBytes, 100);
  // Refused from the index's claim, before the data shard is read.
  expect_error([&] { CheckpointReader{prefix}; },
               {"variables.index", "tensor 'big'", "256 bytes", "tensor-bytes=100", "--limit tensor-bytes="});
}

TEST(Limits, ConstantOverTensorBytes) {
  const auto proto = tensor_proto(Tensor(DType::Double, {3, 5}));
  EXPECT_EQ(tensor_from_proto(proto, "node 'c'").num_elements(), 15);
  ScopedLimit low(Limit::TensorBytes, 100);
  expect_error([&] { tensor_from_proto(proto, "node 'c'"); },
               {"node 'c'", "float64", "[3,5]", "120 bytes", "tensor-bytes=100"});
  // A shape whose byte count overflows is reported as such, not wrapped around.
  tensorflow::TensorProto huge;
  huge.set_dtype(tensorflow::DT_FLOAT);
  for (int i = 0; i < 3; ++i) huge.mutable_tensor_shape()->add_dim()->set_size(int64_t{1} << 21);
  expect_error([&] { tensor_from_proto(huge, "node 'h'"); }, {"node 'h'", "more than 2^63 bytes"});
}

TEST(Limits, VariablesOverWeightBytes) {
  TempDir dir;
  write_mlp(dir.path(), false);
  EXPECT_NO_THROW(load_model(opts(dir.path())));
  // The MLP's kernels and biases are 128 + 32 + 96 + 12 bytes.
  ScopedLimit low(Limit::WeightBytes, 200);
  expect_error([&] { load_model(opts(dir.path())); },
               {"variables up to 'dense_1/kernel'", "checkpoint key", "256 bytes", "weight-bytes=200", "--limit weight-bytes="});
}

TEST(Limits, GraphOverGraphNodes) {
  TempDir dir;
  write_mlp(dir.path(), false);
  ScopedLimit low(Limit::GraphNodes, 5);
  expect_error([&] { load_model(opts(dir.path())); },
               {"saved_model.pb", "the graph after function inlining", "6 nodes", "graph-nodes=5"});
}

}  // namespace
}  // namespace tfaot::frontend
