// The subset of RE2 patterns tfaot compiles in string standardization (StaticRegexReplace
// inside a fused Keras TextVectorization, ops/text_vectorize.cc): patterns that match exactly
// one ASCII byte, so a global replacement is a per-byte map and the generated code can stream
// it without a buffer. Accepted, in RE2 syntax:
//   - a literal ASCII character other than the metacharacters .^$|?*+()[]{}\ ;
//   - an escape: \ before punctuation (the character itself), \t \n \r \f \v \a, \d \s \w;
//   - a positive character class [...] of the above, ranges a-z (between ASCII characters),
//     '-' first or last, ']' first.
// Anything else (negated classes, which would match whole UTF-8 sequences; quantifiers;
// alternation; groups; anchors; '.'; non-ASCII bytes) is rejected with the reason.
#pragma once

#include <bitset>
#include <optional>
#include <string>
#include <string_view>

namespace tfaot::ops {

// The set of bytes a pattern matches (every member < 128).
using ByteSet = std::bitset<256>;

// The byte set of `pattern`, or nullopt with `why` set to the reason it is outside the subset.
std::optional<ByteSet> parse_byte_pattern(std::string_view pattern, std::string* why);

// RE2's GlobalReplace of a one-byte pattern by a literal rewrite: every byte in `set` becomes
// `rewrite`. (Rewrites with backslashes, i.e. \0..\9 groups, are rejected before this.)
std::string replace_bytes(std::string_view text, const ByteSet& set, std::string_view rewrite);

}  // namespace tfaot::ops
