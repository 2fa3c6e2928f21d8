#include <gtest/gtest.h>

#include <cctype>

#include "op_test_util.h"
#include "ops/byte_pattern.h"

namespace tfaot::test {
namespace {

// Keras TextVectorization's default strip_punctuation pattern (TF 2.3 .. 2.15).
const std::string kKerasPunctuation = R"([!"#$%&()\*\+,-\./:;<=>?@\[\\\]^_`{|}~\'])";

Tensor strings(Shape shape, const std::vector<std::string>& values) {
  Tensor t(DType::String, std::move(shape));
  t.strings() = values;
  return t;
}

tensorflow::AttrValue attr_strings(const std::vector<std::string>& v) {
  tensorflow::AttrValue a;
  for (const auto& s : v) a.mutable_list()->add_s(s);
  a.mutable_list();
  return a;
}

ops::ByteSet bytes_of(std::string_view pattern) {
  std::string why;
  auto set = ops::parse_byte_pattern(pattern, &why);
  EXPECT_TRUE(set) << pattern << ": " << why;
  return set.value_or(ops::ByteSet{});
}

std::string rejection(std::string_view pattern) {
  std::string why;
  EXPECT_FALSE(ops::parse_byte_pattern(pattern, &why)) << pattern;
  return why;
}

TEST(BytePattern, KerasPunctuationClassIsAsciiPunctuation) {
  const ops::ByteSet set = bytes_of(kKerasPunctuation);
  for (int c = 0; c < 256; ++c) EXPECT_EQ(set.test(c), c < 128 && std::ispunct(c) != 0) << c;
}

TEST(BytePattern, AtomsRangesAndEscapes) {
  auto members = [](const ops::ByteSet& s) {
    std::string out;
    for (int c = 0; c < 256; ++c)
      if (s.test(c)) out += static_cast<char>(c);
    return out;
  };
  EXPECT_EQ(members(bytes_of("x")), "x");
  EXPECT_EQ(members(bytes_of("\\.")), ".");
  EXPECT_EQ(members(bytes_of("[a-c]")), "abc");
  EXPECT_EQ(members(bytes_of("[]a]")), "]a");
  EXPECT_EQ(members(bytes_of("[a-]")), "-a");
  EXPECT_EQ(members(bytes_of("[,-.]")), ",-.");
  EXPECT_EQ(members(bytes_of("\\d")), "0123456789");
  EXPECT_EQ(members(bytes_of("[\\s]")), "\t\n\f\r ");
  EXPECT_EQ(members(bytes_of("[\\t\\n]")), "\t\n");
  EXPECT_EQ(members(bytes_of("\\w")).size(), 63u);
  EXPECT_EQ(ops::replace_bytes("a.b,c", bytes_of("[.,]"), "<>"), "a<>b<>c");
}

TEST(BytePattern, RejectsEverythingElse) {
  EXPECT_NE(rejection("[^a]").find("negated"), std::string::npos);
  EXPECT_NE(rejection("a+").find("single atom"), std::string::npos);
  EXPECT_NE(rejection("ab").find("single atom"), std::string::npos);
  EXPECT_NE(rejection(".").find("metacharacter"), std::string::npos);
  EXPECT_NE(rejection("[ab").find("unterminated"), std::string::npos);
  EXPECT_NE(rejection("[a]+").find("single atom"), std::string::npos);
  EXPECT_NE(rejection("\\x41").find("escape"), std::string::npos);
  EXPECT_NE(rejection("\xc3\xa9").find("non-ASCII"), std::string::npos);
  EXPECT_NE(rejection("[[:punct:]]").find("POSIX"), std::string::npos);
  EXPECT_NE(rejection("[c-a]").find("range"), std::string::npos);
  EXPECT_NE(rejection("").find("empty"), std::string::npos);
}

// Keras-like vocabulary: "" (padding, id 0), "[UNK]" (1), then words.
struct Vectorizer {
  OpGraph g;
  ir::Value x;
  Vectorizer(Shape shape, int64_t length, std::vector<std::string> steps, std::vector<std::string> patterns,
             std::vector<std::string> rewrites) {
    x = g.input(DType::String, std::move(shape));
    auto keys = g.constant(strings({8}, {"", "[UNK]", "the", "cat", "sat", "on", "mat", "a"}));
    auto ids = g.constant(Tensor::from_vector<int64_t>({8}, {0, 1, 2, 3, 4, 5, 6, 7}));
    g.output(g.add("_TextVectorize",
                   {x, keys, ids, g.constant(Tensor::scalar<int64_t>(1)), g.constant(Tensor::scalar<int64_t>(0))},
                   {{"length", attr_int(length)},
                    {"T", attr_type(DType::Int64)},
                    {"steps", attr_strings(steps)},
                    {"patterns", attr_strings(patterns)},
                    {"rewrites", attr_strings(rewrites)}}));
  }
  Tensor check(const std::vector<std::string>& text) {
    std::vector<Tensor> in = {strings(g.graph().inputs[0].node->outputs[0].shape, text)};
    auto ref = g.reference(in);
    expect_equal(g.generated(in)[0], ref[0], "generated vs reference");
    return ref[0];
  }
};

TEST(TextVectorize, KerasDefaultsLowerStripSplitTruncatePad) {
  Vectorizer v({5, 1}, 4, {"lower", "replace"}, {"", kKerasPunctuation}, {"", ""});
  // Row 3: "matcat" is unknown, "catcatcat" is longer than every key, "é" passes through.
  auto out = v.check({"The CAT sat, on the mat!!", "  \t\r\n ", "a a\ta\n\na a a", "Mat-cat catcatcat \xc3\xa9",
                      "(the)"});
  expect_equal(out, Tensor::from_vector<int64_t>({5, 4}, {2, 3, 4, 5,  //
                                                          0, 0, 0, 0,  //
                                                          7, 7, 7, 7,  //
                                                          1, 1, 1, 0,  //
                                                          2, 0, 0, 0}));
}

TEST(TextVectorize, ReplacementBytesCanSplitAndStepsKeepTheirOrder) {
  // No lowering: "Cat" is unknown. The second step sees the first one's output: "," and "."
  // become "x", then "x" and "-" become a separator.
  Vectorizer v({3}, 5, {"replace", "replace"}, {"[,.]", "[x-]"}, {"x", " "});
  auto out = v.check({"Cat,sat.on", "the-cat..", ""});
  expect_equal(out, Tensor::from_vector<int64_t>({3, 5}, {1, 4, 5, 0, 0,  //
                                                          2, 3, 0, 0, 0,  //
                                                          0, 0, 0, 0, 0}));
}

TEST(TextVectorize, GeneratedMatchesReferenceOnLongRandomText) {
  Vectorizer v({6, 1}, 7, {"lower", "replace"}, {"", kKerasPunctuation}, {"", ""});
  std::mt19937 rng(7);
  const std::vector<std::string> pieces = {"The", "cat", "SAT", "on", "a", "mat.", "dog", " ", "  ", "\t", "!", "catcat"};
  std::vector<std::string> text;
  for (int i = 0; i < 6; ++i) {
    std::string s;
    const int n = std::uniform_int_distribution<int>(0, 25)(rng);
    for (int k = 0; k < n; ++k) s += pieces[std::uniform_int_distribution<size_t>(0, pieces.size() - 1)(rng)];
    text.push_back(s);
  }
  v.check(text);
}

TEST(TextVectorize, RejectsPatternsOutsideTheSubset) {
  expect_error([] { Vectorizer v({1}, 2, {"replace"}, {"<br />"}, {""}); },
               {"_TextVectorize", "'<br />'", "outside the supported subset"});
  expect_error([] { Vectorizer v({1}, 2, {"replace"}, {"[a]"}, {"\\0"}); }, {"backslash"});
}

}  // namespace
}  // namespace tfaot::test
