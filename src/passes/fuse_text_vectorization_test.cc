#include "passes/fuse_text_vectorization.h"

#include <gtest/gtest.h>

#include "ops/interpreter.h"
#include "passes/dead_code_elimination.h"
#include "passes/shape_inference.h"
#include "passes/test_graphs.h"

namespace tfaot::passes {
using namespace testing;

namespace {

ir::Node* ints(ir::Graph& g, const std::string& name, Shape shape, std::vector<int64_t> v,
               DType t = DType::Int32) {
  Tensor x(t, std::move(shape));
  for (size_t i = 0; i < v.size(); ++i) x.set_double(static_cast<int64_t>(i), static_cast<double>(v[i]));
  return g.add_const(name, x);
}

ir::Node* slice(ir::Graph& g, const std::string& name, ir::Value x, std::vector<int64_t> b, std::vector<int64_t> e,
                int64_t begin_mask, int64_t end_mask, int64_t shrink) {
  const Shape s = {static_cast<int64_t>(b.size())};
  ir::Node* n = node(g, name, "StridedSlice",
                     {x, {ints(g, name + "/b", s, b), 0}, {ints(g, name + "/e", s, e), 0},
                      {ints(g, name + "/s", s, std::vector<int64_t>(b.size(), 1)), 0}},
                     x.node->op == "Shape" ? DType::Int32 : DType::Int64);
  n->set_attr_int("begin_mask", begin_mask);
  n->set_attr_int("end_mask", end_mask);
  n->set_attr_int("shrink_axis_mask", shrink);
  return n;
}

struct Options {
  std::string sep = "";              // StringSplitV2's separator
  std::vector<int64_t> shape = {-1}; // RaggedTensorToTensor's shape constant
  bool keras_cond = true;            // TF 2.3 Keras: pad-or-slice conditional to length 3
  int64_t cut = 3;                   // the length the else branch slices to
};

// Keras TextVectorization(standardize="lower_and_strip_punctuation", output_sequence_length=3)
// as TF 2.3 builds it, over x [3, 1]; vocabulary "" 0, "[UNK]" 1, "the" 2, "cat" 3.
void text_vectorization(ir::Graph& g, const Options& o) {
  ir::Node* x = placeholder(g, "x", DType::String, {3, 1});
  ir::Node* lower = node(g, "lower", "StringLower", {{x, 0}});
  ir::Node* strip = node(g, "strip", "StaticRegexReplace", {{lower, 0}});
  strip->attrs["pattern"].set_s("[.!]");
  strip->attrs["rewrite"].set_s("");
  ir::Node* squeeze = node(g, "squeeze", "Squeeze", {{strip, 0}}, DType::String);
  ir::Node* split = node(g, "split", "StringSplitV2", {{squeeze, 0}, {g.add_const("sep", strings({}, {o.sep})), 0}});
  // Row splits from the value row ids, as RaggedTensor.from_value_rowids builds them.
  ir::Node* rowids = node(g, "rowids_cast", "Cast", {{slice(g, "rowids", {split, 0}, {0, 0}, {0, 1}, 1, 1, 2), 0}});
  ir::Node* nrows = node(g, "nrows_cast", "Cast", {{slice(g, "nrows", {split, 2}, {0}, {1}, 0, 0, 1), 0}});
  ir::Node* max = node(g, "max", "Max", {{rowids, 0}, {ints(g, "axis0", {1}, {0}), 0}}, DType::Int32);
  ir::Node* maximum = node(g, "maximum", "Maximum", {{nrows, 0}, {max, 0}}, DType::Int32);
  ir::Node* minimum = node(g, "minimum", "Minimum", {{nrows, 0}, {maximum, 0}}, DType::Int32);
  ir::Node* bincount = node(g, "bincount", "Bincount",
                            {{rowids, 0}, {minimum, 0}, {g.add_const("weights", Tensor(DType::Int64, {0})), 0}},
                            DType::Int64);
  ir::Node* cumsum = node(g, "cumsum", "Cumsum", {{bincount, 0}, {ints(g, "cumsum_axis", {}, {0}), 0}}, DType::Int64);
  ir::Node* splits = node(g, "splits", "ConcatV2",
                          {{ints(g, "zero", {1}, {0}, DType::Int64), 0}, {cumsum, 0}, {ints(g, "axis", {}, {0}), 0}},
                          DType::Int64);
  ir::Node* find = node(g, "find", "_TableFind",
                        {{split, 1}, {ints(g, "oov", {}, {1}, DType::Int64), 0},
                         {g.add_const("keys", strings({4}, {"", "[UNK]", "the", "cat"})), 0},
                         {ints(g, "ids", {4}, {0, 1, 2, 3}, DType::Int64), 0}},
                        DType::Int64);
  const Shape shape_dims = o.shape.size() == 1 ? Shape{} : Shape{static_cast<int64_t>(o.shape.size())};
  ir::Node* dense = node(g, "dense", "RaggedTensorToTensor",
                         {{ints(g, "shape", shape_dims, o.shape, DType::Int64), 0}, {find, 0},
                          {ints(g, "pad", {}, {0}, DType::Int64), 0}, {splits, 0}},
                         DType::Int64);
  dense->attrs["row_partition_types"].mutable_list()->add_s("ROW_SPLITS");
  if (!o.keras_cond) {
    output(g, "ids", {dense, 0});
    return;
  }
  ir::Node* shape = node(g, "dense_shape", "Shape", {{dense, 0}}, DType::Int64);
  ir::Node* width = slice(g, "width", {shape, 0}, {1}, {2}, 0, 0, 1);
  ir::Node* sub = node(g, "sub", "Sub", {{ints(g, "length", {}, {3}), 0}, {width, 0}}, DType::Int32);
  ir::Node* less = node(g, "less", "Less", {{width, 0}, {ints(g, "length2", {}, {3}), 0}}, DType::Int32);
  ir::Node* cond = node(g, "cond", "StatelessIf", {{less, 0}, {sub, 0}, {dense, 0}});
  auto pad = std::make_shared<ir::Graph>();
  {
    ir::Node* k = placeholder(*pad, "arg0", DType::Int32, {});
    ir::Node* d = placeholder(*pad, "arg1", DType::Int64, {-1, -1});
    ir::Node* cols = node(*pad, "cols", "Pack", {{ints(*pad, "c0", {}, {0}), 0}, {k, 0}}, DType::Int32);
    ir::Node* rows = node(*pad, "rows", "Pack", {{ints(*pad, "r0", {2}, {0, 0}), 0}, {cols, 0}}, DType::Int32);
    output(*pad, "out", {node(*pad, "pad", "Pad", {{d, 0}, {rows, 0}}, DType::Int64), 0});
  }
  auto cut = std::make_shared<ir::Graph>();
  {
    placeholder(*cut, "arg0", DType::Int32, {});
    ir::Node* d = placeholder(*cut, "arg1", DType::Int64, {-1, -1});
    output(*cut, "out", {slice(*cut, "cut", {d, 0}, {0, 0}, {0, o.cut}, 3, 1, 0), 0});
  }
  cond->subgraphs = {pad, cut};
  output(g, "ids", {node(g, "cond_out", "Identity", {{cond, 0}}, DType::Int64), 0});
}

std::vector<Tensor> run(ir::Graph& g) {
  EXPECT_TRUE(FuseTextVectorization().run(g));
  DeadCodeElimination().run(g);
  EXPECT_EQ(count_op(g, "_TextVectorize"), 1);
  for (const char* op : {"StringLower", "StaticRegexReplace", "StringSplitV2", "Bincount", "RaggedTensorToTensor",
                         "StatelessIf", "_TableFind"})
    EXPECT_EQ(count_op(g, op), 0) << op;
  ShapeInference().run(g);
  return ops::interpret(g, {strings({3, 1}, {"The cat! THE", "cat. the cat the", ""})});
}

}  // namespace

TEST(FuseTextVectorization, KerasPadOrSliceConditional) {
  ir::Graph g;
  text_vectorization(g, {});
  EXPECT_EQ(run(g)[0], Tensor::from_vector<int64_t>({3, 3}, {2, 3, 2, 3, 2, 3, 0, 0, 0}));
}

TEST(FuseTextVectorization, StaticOutputShape) {
  ir::Graph g;
  text_vectorization(g, {.shape = {-1, 2}, .keras_cond = false});
  EXPECT_EQ(run(g)[0], Tensor::from_vector<int64_t>({3, 2}, {2, 3, 3, 2, 0, 0}));
}

// The pass fails naming the RaggedTensorToTensor and `reason`.
void expect_fuse_error(const Options& o, const std::string& reason) {
  ir::Graph g;
  text_vectorization(g, o);
  try {
    FuseTextVectorization().run(g);
    ADD_FAILURE() << "no error; expected " << reason;
  } catch (const Error& e) {
    EXPECT_NE(std::string(e.what()).find("'dense'"), std::string::npos) << e.what();
    EXPECT_NE(std::string(e.what()).find(reason), std::string::npos) << e.what();
  }
}

TEST(FuseTextVectorization, OtherVariantsAreErrorsNamingTheReason) {
  expect_fuse_error({.sep = ","}, "only whitespace");
  expect_fuse_error({.cut = 2}, "the else branch");
  expect_fuse_error({.keras_cond = false}, "depends on the data");  // no output length at all
}

}  // namespace tfaot::passes
