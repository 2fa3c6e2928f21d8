#include "support/identifier.h"

#include <gtest/gtest.h>

namespace tfaot {
namespace {

TEST(Identifier, AcceptsOrdinaryNames) {
  for (const char* ok : {"simple", "DeepJet_v2", "m", "x1", "ECAL", "tfaot_model", "Model", "final", "module"})
    EXPECT_EQ(identifier_problem(ok), "") << ok;
  EXPECT_EQ(model_name_problem("cms_simple"), "");
  EXPECT_EQ(namespace_problem("cms::models::v2"), "");
}

TEST(Identifier, RejectsWhatWouldNotCompileOrLink) {
  // Every C++20 keyword and alternative token, not a short list of them.
  for (const char* kw : {"int", "class", "and", "xor_eq", "co_await", "requires", "char8_t", "constinit", "export",
                         "typeid", "register", "concept", "not"})
    EXPECT_NE(identifier_problem(kw).find("keyword"), std::string::npos) << kw;
  // Reserved identifiers and namespaces.
  for (const char* r : {"_X", "_x", "__x", "a__b", "std", "std2", "posix", "tfaot_kernels"})
    EXPECT_NE(identifier_problem(r), "") << r;
  // Macros of the standard headers the generated code includes.
  for (const char* m : {"errno", "NULL", "EOF", "INT32_MAX", "SIZE_MAX", "UINT8_C", "EINVAL", "ERANGE", "INFINITY",
                        "CHAR_BIT", "FLT_MAX"})
    EXPECT_NE(identifier_problem(m).find("macro"), std::string::npos) << m;
  // Not identifiers at all (hostile strings included).
  for (const char* bad : {"", "9lives", "bad-name", "a b", "a\nb", "a;b", "a\"b", "a$b", "caf\xc3\xa9", "a::b"})
    EXPECT_NE(identifier_problem(bad), "") << bad;
  EXPECT_NE(identifier_problem(std::string_view("a\0b", 3)), "");
  // A model name is a prefix: NAME_bs1 must not contain "__".
  EXPECT_NE(model_name_problem("model_"), "");
  EXPECT_EQ(identifier_problem("model_"), "");
  EXPECT_NE(namespace_problem("a::std"), "");
  EXPECT_NE(namespace_problem("a::"), "");
  EXPECT_NE(namespace_problem("::a"), "");
  EXPECT_NE(namespace_problem("a:::b"), "");
  EXPECT_NE(namespace_problem("a::1b").find("component '1b'"), std::string::npos);
}

TEST(Identifier, PrintableEscapesControlAndNonAscii) {
  EXPECT_EQ(printable("ok name"), "ok name");
  EXPECT_EQ(printable("a\nb\x1b[2J\\"), "a\\x0ab\\x1b[2J\\x5c");
  EXPECT_EQ(printable("\xff"), "\\xff");
}

}  // namespace
}  // namespace tfaot
