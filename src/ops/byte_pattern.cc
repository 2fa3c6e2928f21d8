#include "ops/byte_pattern.h"

#include <cctype>

#include <fmt/format.h>

namespace tfaot::ops {
namespace {

constexpr std::string_view kMeta = ".^$|?*+()[]{}\\";

bool is_ascii_punct(char c) { return c > 32 && c < 127 && !std::isalnum(static_cast<unsigned char>(c)); }

// One class member or standalone atom: a single byte, or a set (\d \s \w).
struct Atom {
  ByteSet set;
  int byte = -1;  // >= 0 when the atom is exactly one byte
};

Atom single(unsigned char c) {
  Atom a;
  a.set.set(c);
  a.byte = c;
  return a;
}

Atom range(char lo, char hi) {
  Atom a;
  for (int c = static_cast<unsigned char>(lo); c <= static_cast<unsigned char>(hi); ++c) a.set.set(c);
  return a;
}

// Parses the escape at p[i] == '\\'; advances i past it.
std::optional<Atom> parse_escape(std::string_view p, size_t& i, std::string* why) {
  if (i + 1 >= p.size()) {
    *why = "trailing backslash";
    return std::nullopt;
  }
  const char c = p[i + 1];
  i += 2;
  if (is_ascii_punct(c)) return single(c);
  switch (c) {
    case 't': return single('\t');
    case 'n': return single('\n');
    case 'r': return single('\r');
    case 'f': return single('\f');
    case 'v': return single('\v');
    case 'a': return single('\a');
    case 'd': return range('0', '9');
    case 'w': {
      Atom a = range('0', '9');
      a.set |= range('A', 'Z').set | range('a', 'z').set;
      a.set.set('_');
      return a;
    }
    case 's': {  // RE2's (Perl) \s: [\t\n\f\r ], without \v
      Atom a;
      for (char s : {'\t', '\n', '\f', '\r', ' '}) a.set.set(static_cast<unsigned char>(s));
      return a;
    }
    default:
      *why = fmt::format("escape '\\{}' is not supported", c);
      return std::nullopt;
  }
}

// One member of a class at p[i] (not ']'); advances i.
std::optional<Atom> parse_member(std::string_view p, size_t& i, std::string* why) {
  const unsigned char c = static_cast<unsigned char>(p[i]);
  if (c >= 128) {
    *why = "non-ASCII bytes are not supported";
    return std::nullopt;
  }
  if (c == '\\') return parse_escape(p, i, why);
  if (c == '[' && i + 1 < p.size() && p[i + 1] == ':') {
    *why = "POSIX classes [:name:] are not supported";
    return std::nullopt;
  }
  ++i;
  return single(c);
}

std::optional<ByteSet> parse_class(std::string_view p, std::string* why) {
  // p = "[...]" exactly (the caller checked the outer brackets).
  size_t i = 1;
  if (i < p.size() && p[i] == '^') {
    *why = "negated classes [^...] are not supported (they match whole UTF-8 characters)";
    return std::nullopt;
  }
  ByteSet set;
  bool first = true;
  while (i < p.size() && (p[i] != ']' || first)) {
    auto lo = parse_member(p, i, why);
    if (!lo) return std::nullopt;
    first = false;
    if (i + 1 < p.size() && p[i] == '-' && p[i + 1] != ']') {
      ++i;
      auto hi = parse_member(p, i, why);
      if (!hi) return std::nullopt;
      if (lo->byte < 0 || hi->byte < 0 || lo->byte > hi->byte) {
        *why = "bad character class range";
        return std::nullopt;
      }
      set |= range(static_cast<char>(lo->byte), static_cast<char>(hi->byte)).set;
    } else {
      set |= lo->set;
    }
  }
  if (i != p.size() - 1) {
    *why = i >= p.size() ? "unterminated character class" : "only a single atom or character class is supported";
    return std::nullopt;
  }
  return set;
}

}  // namespace

std::optional<ByteSet> parse_byte_pattern(std::string_view p, std::string* why) {
  if (p.empty()) {
    *why = "the empty pattern matches between bytes";
    return std::nullopt;
  }
  if (p.front() == '[') return parse_class(p, why);
  size_t i = 0;
  std::optional<Atom> atom;
  if (p[0] == '\\') {
    atom = parse_escape(p, i, why);
  } else if (kMeta.find(p[0]) != std::string_view::npos) {
    *why = fmt::format("metacharacter '{}' is not supported", p[0]);
    return std::nullopt;
  } else {
    atom = parse_member(p, i, why);
  }
  if (!atom) return std::nullopt;
  if (i != p.size()) {
    *why = "only a single atom or character class is supported";
    return std::nullopt;
  }
  return atom->set;
}

std::string replace_bytes(std::string_view text, const ByteSet& set, std::string_view rewrite) {
  std::string out;
  out.reserve(text.size());
  for (char c : text) {
    if (set.test(static_cast<unsigned char>(c))) out += rewrite;
    else out += c;
  }
  return out;
}

}  // namespace tfaot::ops
