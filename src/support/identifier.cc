#include "support/identifier.h"

#include <regex>
#include <set>

namespace tfaot {

namespace {

// C++20 [lex.key] and [lex.digraph] (alternative tokens), which C++17 code cannot use either.
const std::set<std::string_view>& keywords() {
  static const std::set<std::string_view> k = {
      "alignas", "alignof", "and", "and_eq", "asm", "auto", "bitand", "bitor", "bool", "break", "case", "catch",
      "char", "char8_t", "char16_t", "char32_t", "class", "compl", "concept", "const", "consteval", "constexpr",
      "constinit", "const_cast", "continue", "co_await", "co_return", "co_yield", "decltype", "default", "delete",
      "do", "double", "dynamic_cast", "else", "enum", "explicit", "export", "extern", "false", "float", "for",
      "friend", "goto", "if", "inline", "int", "long", "mutable", "namespace", "new", "noexcept", "not", "not_eq",
      "nullptr", "operator", "or", "or_eq", "private", "protected", "public", "register", "reinterpret_cast",
      "requires", "return", "short", "signed", "sizeof", "static", "static_assert", "static_cast", "struct",
      "switch", "template", "this", "thread_local", "throw", "true", "try", "typedef", "typeid", "typename",
      "union", "unsigned", "using", "virtual", "void", "volatile", "wchar_t", "while", "xor", "xor_eq"};
  return k;
}

// Object-like macros of <cstddef>, <cstdint>, <cstdio>, <cstring>, <cmath>, <cerrno>, <cassert>,
// <climits>, <cfloat> (what generated code and the runtime headers include, directly or through
// libstdc++'s <string>); a name equal to one of them is replaced by the preprocessor.
bool is_standard_macro(std::string_view name) {
  // <cerrno> on Linux (asm-generic/errno-base.h, errno.h).
  static const std::set<std::string_view> errno_names = {
      "E2BIG", "EACCES", "EADDRINUSE", "EADDRNOTAVAIL", "EADV", "EAFNOSUPPORT", "EAGAIN", "EALREADY",
      "EBADE", "EBADF", "EBADFD", "EBADMSG", "EBADR", "EBADRQC", "EBADSLT", "EBFONT", "EBUSY", "ECANCELED",
      "ECHILD", "ECHRNG", "ECOMM", "ECONNABORTED", "ECONNREFUSED", "ECONNRESET", "EDEADLK", "EDEADLOCK",
      "EDESTADDRREQ", "EDOM", "EDOTDOT", "EDQUOT", "EEXIST", "EFAULT", "EFBIG", "EHOSTDOWN", "EHOSTUNREACH",
      "EHWPOISON", "EIDRM", "EILSEQ", "EINPROGRESS", "EINTR", "EINVAL", "EIO", "EISCONN", "EISDIR", "EISNAM",
      "EKEYEXPIRED", "EKEYREJECTED", "EKEYREVOKED", "EL2HLT", "EL2NSYNC", "EL3HLT", "EL3RST", "ELIBACC",
      "ELIBBAD", "ELIBEXEC", "ELIBMAX", "ELIBSCN", "ELNRNG", "ELOOP", "EMEDIUMTYPE", "EMFILE", "EMLINK",
      "EMSGSIZE", "EMULTIHOP", "ENAMETOOLONG", "ENAVAIL", "ENETDOWN", "ENETRESET", "ENETUNREACH", "ENFILE",
      "ENOANO", "ENOBUFS", "ENOCSI", "ENODATA", "ENODEV", "ENOENT", "ENOEXEC", "ENOKEY", "ENOLCK", "ENOLINK",
      "ENOMEDIUM", "ENOMEM", "ENOMSG", "ENONET", "ENOPKG", "ENOPROTOOPT", "ENOSPC", "ENOSR", "ENOSTR",
      "ENOSYS", "ENOTBLK", "ENOTCONN", "ENOTDIR", "ENOTEMPTY", "ENOTNAM", "ENOTRECOVERABLE", "ENOTSOCK",
      "ENOTTY", "ENOTUNIQ", "ENXIO", "EOPNOTSUPP", "EOVERFLOW", "EOWNERDEAD", "EPERM", "EPFNOSUPPORT",
      "EPIPE", "EPROTO", "EPROTONOSUPPORT", "EPROTOTYPE", "ERANGE", "EREMCHG", "EREMOTE", "EREMOTEIO",
      "ERESTART", "ERFKILL", "EROFS", "ESHUTDOWN", "ESOCKTNOSUPPORT", "ESPIPE", "ESRCH", "ESRMNT", "ESTALE",
      "ESTRPIPE", "ETIME", "ETIMEDOUT", "ETOOMANYREFS", "ETXTBSY", "EUCLEAN", "EUNATCH", "EUSERS",
      "EWOULDBLOCK", "EXDEV", "EXFULL"};
  static const std::set<std::string_view> fixed = {
      "NULL", "EOF", "errno", "assert", "offsetof", "stdin", "stdout", "stderr", "BUFSIZ", "FILENAME_MAX",
      "FOPEN_MAX", "L_tmpnam", "TMP_MAX", "SEEK_SET", "SEEK_CUR", "SEEK_END", "INFINITY", "NAN", "HUGE_VAL",
      "HUGE_VALF", "HUGE_VALL", "math_errhandling", "MATH_ERRNO", "MATH_ERREXCEPT", "FP_NAN", "FP_INFINITE",
      "FP_ZERO", "FP_SUBNORMAL", "FP_NORMAL", "FP_ILOGB0", "FP_ILOGBNAN", "FP_FAST_FMA", "FP_FAST_FMAF",
      "FP_FAST_FMAL", "EDOM", "ERANGE", "EILSEQ", "CHAR_BIT", "MB_LEN_MAX", "NDEBUG", "DECIMAL_DIG",
      "FLT_RADIX", "FLT_ROUNDS", "FLT_EVAL_METHOD"};
  static const std::regex pattern(
      "U?INT(8|16|32|64|MAX|PTR|_LEAST(8|16|32|64)|_FAST(8|16|32|64))?_(MAX|MIN|C)|"
      "(SIZE|PTRDIFF|SIG_ATOMIC|WCHAR|WINT|S?CHAR|UCHAR|SHRT|USHRT|LONG|ULONG|LLONG|ULLONG)_(MAX|MIN)|"
      "(FLT|DBL|LDBL)_[A-Z0-9_]+");
  return fixed.count(name) || errno_names.count(name) || std::regex_match(name.begin(), name.end(), pattern);
}

}  // namespace

std::string identifier_problem(std::string_view name) {
  if (name.empty()) return "is empty";
  if (name[0] >= '0' && name[0] <= '9') return "starts with a digit";
  for (char c : name)
    if (!((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_'))
      return "has characters other than ASCII letters, digits and '_'";
  if (keywords().count(name)) return "is a C++ keyword";
  if (name[0] == '_') return "starts with '_' (reserved for the implementation at namespace scope)";
  if (name.find("__") != std::string_view::npos) return "contains '__' (reserved for the implementation)";
  static const std::regex reserved_ns("std[0-9]*|posix");
  if (std::regex_match(name.begin(), name.end(), reserved_ns)) return "is a namespace reserved by the C++ standard";
  if (name == "tfaot_kernels") return "is the namespace of tfaot's kernels in the generated code";
  if (is_standard_macro(name)) return "is a macro of the C/C++ standard headers";
  return "";
}

std::string model_name_problem(std::string_view name) {
  std::string p = identifier_problem(name);
  if (p.empty() && name.back() == '_')
    p = "ends with '_' (generated names such as NAME_bs1 would contain '__', which is reserved)";
  return p;
}

std::string namespace_problem(std::string_view ns) {
  if (ns.empty()) return "is empty";
  for (size_t pos = 0;;) {
    const size_t next = ns.find("::", pos);
    const std::string_view part = ns.substr(pos, next == std::string_view::npos ? std::string_view::npos : next - pos);
    if (std::string p = identifier_problem(part); !p.empty())
      return "component '" + std::string(part) + "' " + p;
    if (next == std::string_view::npos) return "";
    pos = next + 2;
  }
}

std::string version_problem(std::string_view version) {
  static const std::regex ok("[A-Za-z0-9][A-Za-z0-9._+~-]{0,63}");
  if (std::regex_match(version.begin(), version.end(), ok)) return "";
  return "is not a version like 1.0.0 (1 to 64 letters, digits and . _ + ~ -, starting with a letter or digit)";
}

std::string printable(std::string_view s) {
  static const char hex[] = "0123456789abcdef";
  std::string out;
  for (unsigned char c : s) {
    if (c >= 0x20 && c < 0x7f && c != '\\') out += static_cast<char>(c);
    else out += {'\\', 'x', hex[c >> 4], hex[c & 15]};
  }
  return out;
}

}  // namespace tfaot
