// Names from a model or config that become C++ identifiers in generated code (model name,
// namespace components): legal and unreserved in C++17 and C++20, so a package that tfaot
// writes always compiles and links (issue 18).
#pragma once

#include <string>
#include <string_view>

namespace tfaot {

// Why `name` cannot name a namespace or a class at namespace scope in code that includes the
// C++ standard headers, or "" if it can: not [A-Za-z_][A-Za-z0-9_]*; a keyword or alternative
// token of C++20; reserved (a leading '_', "__" anywhere; the namespaces std, stdN and posix);
// a macro of the standard headers the generated code includes (errno, NULL, INT32_MAX, ...);
// or tfaot_kernels (the generated code's own namespace).
std::string identifier_problem(std::string_view name);

// The same for a model name, which is also the prefix of generated names (NAME_bs1, NAME_dyn):
// besides, it must not end with '_' (NAME__bs1 would be reserved).
std::string model_name_problem(std::string_view name);

// The same for a namespace written as a::b::c (each component checked).
std::string namespace_problem(std::string_view ns);

// Why `version` (model.version) cannot be written into the package's files (tool file, CMake
// package, pkg-config file, model.h), or "" if it can: 1 to 64 of [A-Za-z0-9._+~-], starting
// with a letter or digit (semantic and CMS versions; nothing a file format would interpret).
std::string version_problem(std::string_view version);

// `s` for an error message: printable ASCII kept, everything else (newlines, escape
// sequences, non-UTF-8 bytes) as \xNN, so a hostile name cannot rewrite the user's terminal.
std::string printable(std::string_view s);

}  // namespace tfaot
