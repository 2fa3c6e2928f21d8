#include "frontend/tensor_proto.h"

#include <gtest/gtest.h>

namespace tfaot::frontend {
namespace {

tensorflow::TensorProto proto(tensorflow::DataType dt, std::vector<int64_t> dims) {
  tensorflow::TensorProto p;
  p.set_dtype(dt);
  for (int64_t d : dims) p.mutable_tensor_shape()->add_dim()->set_size(d);
  return p;
}

std::string error_of(const tensorflow::TensorProto& p) {
  try {
    tensor_from_proto(p, "node 'c'");
  } catch (const Error& e) {
    return e.what();
  }
  return "<no error>";
}

TEST(TensorProto, TypedValuesRepeatTheLastOne) {
  auto p = proto(tensorflow::DT_FLOAT, {2, 3});
  p.add_float_val(1.5f);
  p.add_float_val(-2.0f);
  Tensor t = tensor_from_proto(p, "c");
  EXPECT_EQ(t, Tensor::from_vector<float>({2, 3}, {1.5f, -2, -2, -2, -2, -2}));
  auto z = proto(tensorflow::DT_INT64, {3});
  EXPECT_EQ(tensor_from_proto(z, "c"), Tensor::from_vector<int64_t>({3}, {0, 0, 0}));
  auto b = proto(tensorflow::DT_BOOL, {2});
  b.add_bool_val(true);
  EXPECT_EQ(tensor_from_proto(b, "c"), Tensor::from_vector<bool>({2}, {true, true}));
  auto i8 = proto(tensorflow::DT_INT8, {2});
  i8.add_int_val(-3);
  i8.add_int_val(4);
  EXPECT_EQ(tensor_from_proto(i8, "c"), Tensor::from_vector<int8_t>({2}, {-3, 4}));
}

TEST(TensorProto, ContentAndStrings) {
  auto p = proto(tensorflow::DT_INT32, {2});
  int32_t v[2] = {7, -9};
  p.set_tensor_content(std::string(reinterpret_cast<const char*>(v), sizeof v));
  EXPECT_EQ(tensor_from_proto(p, "c"), Tensor::from_vector<int32_t>({2}, {7, -9}));
  auto s = proto(tensorflow::DT_STRING, {3});
  s.add_string_val("a");
  s.add_string_val("bc");
  Tensor t = tensor_from_proto(s, "c");
  EXPECT_EQ(t.strings(), (std::vector<std::string>{"a", "bc", "bc"}));
  auto h = proto(tensorflow::DT_HALF, {2});
  h.add_half_val(0x3c00);  // 1.0
  Tensor ht = tensor_from_proto(h, "c");
  EXPECT_EQ(ht.byte_size(), 4u);
  EXPECT_EQ(reinterpret_cast<const uint16_t*>(ht.raw())[1], 0x3c00);
}

TEST(TensorProto, MalformedIsAnError) {
  auto p = proto(tensorflow::DT_FLOAT, {3});
  p.set_tensor_content(std::string(8, '\0'));
  EXPECT_NE(error_of(p).find("node 'c': tensor_content has 8 bytes, shape [3] of float32 needs 12"),
            std::string::npos) << error_of(p);
  EXPECT_NE(error_of(proto(tensorflow::DT_FLOAT, {-1, 2})).find("negative dimension -1"), std::string::npos);
  EXPECT_NE(error_of(proto(tensorflow::DT_FLOAT, {1 << 20, 1 << 20, 1 << 10})).find("more than the limit tensor-bytes="),
            std::string::npos);
  EXPECT_NE(error_of(proto(tensorflow::DT_FLOAT, {int64_t{1} << 62, 8})).find("more than the limit tensor-bytes="),
            std::string::npos);
  auto many = proto(tensorflow::DT_FLOAT, {1});
  many.add_float_val(1);
  many.add_float_val(2);
  EXPECT_NE(error_of(many).find("2 values for shape [1]"), std::string::npos);
  EXPECT_NE(error_of(proto(tensorflow::DT_RESOURCE, {})).find("not supported"), std::string::npos);
  auto unk = proto(tensorflow::DT_FLOAT, {});
  unk.mutable_tensor_shape()->set_unknown_rank(true);
  EXPECT_NE(error_of(unk).find("unknown rank"), std::string::npos);
}

}  // namespace
}  // namespace tfaot::frontend
