// Batch rules and strategies (the semantics of CMSSW's PhysicsTools/TensorFlowAOT Batching).
//
// A model is compiled for a few batch sizes only. A BatchRule says how an arbitrary batch size
// is evaluated: as a sequence of compiled sizes whose sum covers it, the last one padded with
// zero entries. Example: batch size 5 from compiled sizes 2,2,2 with last padding 1 -- the
// third call runs one real entry and one zero entry whose result is dropped.
//
// A BatchStrategy maps batch sizes to rules. tfaot::Model registers a default rule the first
// time it sees a batch size without one (see BatchStrategy::setDefaultRule).
//
// Accept/reject decisions and error categories are CMSSW's (Batching.cc); where CMSSW would
// throw std::invalid_argument / std::out_of_range (std::stoi), crash or accept a wrapped-around
// negative number, tfaot throws InvalidBatchRule instead (docs/cmssw-runtime.md lists every
// case; tests/runtime/cmssw_batching_test.cc encodes them).
#ifndef TFAOT_BATCHING_H
#define TFAOT_BATCHING_H

#include <algorithm>
#include <climits>
#include <cstddef>
#include <fstream>
#include <limits>
#include <map>
#include <ostream>
#include <string>
#include <string_view>
#include <vector>

#include "tfaot/Exception.h"

namespace tfaot {

class BatchRule {
 public:
  // Target `batchSize` from the compiled `sizes` (in call order), the last of which is padded
  // by `lastPadding` entries. Throws EmptySizes if sizes is empty, WrongPadding unless
  // lastPadding < the last size, WrongBatchSize unless sum(sizes) - lastPadding == batchSize.
  // (Sizes of 0 before the last are accepted, as by CMSSW; tfaot::Model rejects them because 0
  // is never a compiled batch size.)
  explicit BatchRule(size_t batchSize, const std::vector<size_t>& sizes, size_t lastPadding = 0)
      : batchSize_(batchSize), sizes_(sizes), lastPadding_(lastPadding) {
    validate("batch rule for batch size " + std::to_string(batchSize) + ": ");
  }

  // Parses "batchSize:size1,...,sizeN", e.g. "5:2,2,2"; the padding is sum(sizes) - batchSize
  // (so "5:1,4" stitches without padding). Numbers are read like std::stoi (CMSSW's parser):
  // leading white space and a sign are allowed, anything after the digits is ignored ("5 :2x"
  // is "5:2"), and a trailing comma ends the list. Throws InvalidBatchRule without ':', for a
  // number without digits, a negative number, one beyond INT_MAX, or if the sum of sizes is
  // smaller than batchSize; then the checks of the constructor above.
  BatchRule(const std::string& ruleString) : batchSize_(0), lastPadding_(0) {
    const std::string prefix = "invalid batch rule '" + ruleString + "': ";
    const std::string_view rule(ruleString);
    const size_t colon = rule.find(':');
    if (colon == std::string_view::npos) {
      detail::fail(category::InvalidBatchRule, prefix, "expected 'batchSize:size1,...,sizeN'");
    }
    batchSize_ = parseNumber(rule.substr(0, colon), prefix, "target batch size");
    size_t sum = 0;  // each size is at most INT_MAX: no overflow for any real string
    for (std::string_view rest = rule.substr(colon + 1); !rest.empty();) {
      const size_t comma = rest.find(',');
      sizes_.push_back(parseNumber(rest.substr(0, comma), prefix, "size"));
      sum += sizes_.back();
      rest = comma == std::string_view::npos ? std::string_view() : rest.substr(comma + 1);
    }
    if (sum < batchSize_) {
      detail::fail(category::InvalidBatchRule, prefix, "sum of sizes ", sum,
                   " is smaller than the target batch size ", batchSize_);
    }
    lastPadding_ = sum - batchSize_;
    validate(prefix);
  }

  size_t getBatchSize() const { return batchSize_; }
  const std::vector<size_t>& getSizes() const { return sizes_; }
  size_t getLastPadding() const { return lastPadding_; }
  size_t nSizes() const { return sizes_.size(); }
  size_t getSize(size_t i) const { return sizes_[i]; }

  bool operator==(const BatchRule& other) const {
    return batchSize_ == other.batchSize_ && sizes_ == other.sizes_ &&
           lastPadding_ == other.lastPadding_;
  }
  bool operator!=(const BatchRule& other) const { return !(*this == other); }

 private:
  size_t batchSize_;
  std::vector<size_t> sizes_;
  size_t lastPadding_;

  // std::stoi's grammar: white space (C locale), an optional sign, at least one digit; the
  // rest is ignored. CMSSW converts the int to size_t, so "-1" would wrap to SIZE_MAX: tfaot
  // rejects negative numbers (and those std::stoi rejects) as InvalidBatchRule.
  static size_t parseNumber(std::string_view text, const std::string& prefix, const char* what) {
    const std::string_view original = text;
    auto isSpace = [](char c) { return c == ' ' || (c >= '\t' && c <= '\r'); };
    while (!text.empty() && isSpace(text.front())) text.remove_prefix(1);
    bool negative = false;
    if (!text.empty() && (text.front() == '+' || text.front() == '-')) {
      negative = text.front() == '-';
      text.remove_prefix(1);
    }
    unsigned long long value = 0;
    size_t digits = 0;
    for (; digits < text.size() && text[digits] >= '0' && text[digits] <= '9'; ++digits) {
      value = value * 10 + static_cast<unsigned>(text[digits] - '0');
      if (value > static_cast<unsigned long long>(INT_MAX) + 1) break;  // out of range anyway
    }
    if (digits == 0) {
      detail::fail(category::InvalidBatchRule, prefix, what, " '", original,
                   "' is not a number (CMSSW: std::invalid_argument from std::stoi)");
    }
    if (value > static_cast<unsigned long long>(INT_MAX) + (negative ? 1 : 0)) {
      detail::fail(category::InvalidBatchRule, prefix, what, " '", original,
                   "' is out of range (at most ", INT_MAX, ")");
    }
    if (negative && value != 0) {
      detail::fail(category::InvalidBatchRule, prefix, what, " '", original, "' is negative");
    }
    return static_cast<size_t>(value);
  }

  // CMSSW's checks, in CMSSW's order; the sum is checked for wrap-around, which CMSSW accepts.
  void validate(const std::string& prefix) const {
    if (sizes_.empty()) {
      detail::fail(category::EmptySizes, prefix, "no sizes given for stitching");
    }
    if (lastPadding_ >= sizes_.back()) {
      detail::fail(category::WrongPadding, prefix, "padding ", lastPadding_,
                   " must be smaller than the last size ", sizes_.back());
    }
    size_t sum = 0;
    for (size_t size : sizes_) {
      if (size > std::numeric_limits<size_t>::max() - sum) {
        detail::fail(category::WrongBatchSize, prefix, "sizes overflow");
      }
      sum += size;
    }
    if (sum - lastPadding_ != batchSize_) {
      detail::fail(category::WrongBatchSize, prefix, "sum of sizes minus padding is ",
                   sum - lastPadding_, ", not the batch size ", batchSize_);
    }
  }
};

inline std::ostream& operator<<(std::ostream& out, const BatchRule& rule) {
  out << "BatchRule(batchSize=" << rule.getBatchSize() << ", sizes=";
  for (size_t i = 0; i < rule.nSizes(); ++i) out << (i == 0 ? "" : ",") << rule.getSize(i);
  return out << ", lastPadding=" << rule.getLastPadding() << ")";
}

// Reads a batch rules file, as tfaot-tune writes it (a tfaot extension): one rule
// "batchSize:size1,...,sizeN" per line; blank lines and '#' comments are ignored. Throws
// FileReadError if the file cannot be read; for an invalid rule the rule's category, and
// InvalidBatchRule for a second rule of one batch size, the message naming file and line.
// `lines`, if given, receives each rule's line number (so later checks can name the line too).
inline std::vector<BatchRule> readBatchRules(const std::string& path,
                                             std::vector<size_t>* lines = nullptr) {
  if (lines != nullptr) lines->clear();
  std::ifstream in(path);
  if (!in) detail::fail(category::FileReadError, "cannot read batch rules file '", path, "'");
  std::vector<BatchRule> rules;
  std::string line;
  for (size_t number = 1; std::getline(in, line); ++number) {
    line = line.substr(0, line.find('#'));
    const size_t first = line.find_first_not_of(" \t\r");
    if (first == std::string::npos) continue;
    const size_t last = line.find_last_not_of(" \t\r");
    try {
      rules.emplace_back(line.substr(first, last - first + 1));
    } catch (const Exception& e) {
      detail::fail(e.category().c_str(), path, ":", number, ": ", e.message());
    }
    if (lines != nullptr) lines->push_back(number);
    for (size_t i = 0; i + 1 < rules.size(); ++i) {
      if (rules[i].getBatchSize() == rules.back().getBatchSize()) {
        detail::fail(category::InvalidBatchRule, path, ":", number,
                     ": second rule for batch size ", rules.back().getBatchSize());
      }
    }
  }
  if (in.bad()) detail::fail(category::FileReadError, "cannot read batch rules file '", path, "'");
  return rules;
}

class BatchStrategy {
 public:
  BatchStrategy() = default;

  // Registers (or replaces) the rule of rule.getBatchSize().
  void setRule(const BatchRule& rule) { rules_.insert_or_assign(rule.getBatchSize(), rule); }
  void setRule(const std::string& ruleString) { setRule(BatchRule(ruleString)); }

  bool hasRule(size_t batchSize) const { return rules_.find(batchSize) != rules_.end(); }

  // Throws UnknownBatchSize if no rule is registered for batchSize.
  const BatchRule& getRule(size_t batchSize) const {
    const auto it = rules_.find(batchSize);
    if (it == rules_.end()) {
      detail::fail(category::UnknownBatchSize, "batch size ", batchSize,
                   " not known to the batching strategy");
    }
    return it->second;
  }

  // CMSSW's default algorithm: the batch size itself if it is available; otherwise the
  // smallest available size repeated ceil(batchSize / smallest) times, the last one padded.
  // (So it never mixes sizes: 5 with {2,4} becomes 2,2,2 with padding 1.) Batch size 0 gives a
  // rule without sizes: EmptySizes, as in CMSSW. An empty list (EmptySizes) and a smallest
  // size of 0 (InvalidBatchRule) are undefined behaviour in CMSSW.
  void setDefaultRule(size_t batchSize, const std::vector<size_t>& availableBatchSizes) {
    if (availableBatchSizes.empty()) {
      detail::fail(category::EmptySizes, "cannot derive a rule for batch size ", batchSize,
                   ": no available batch sizes");
    }
    std::vector<size_t> sizes;
    size_t lastPadding = 0;
    if (std::find(availableBatchSizes.begin(), availableBatchSizes.end(), batchSize) !=
        availableBatchSizes.end()) {
      sizes.push_back(batchSize);
    } else {
      const size_t smallest =
          *std::min_element(availableBatchSizes.begin(), availableBatchSizes.end());
      if (smallest == 0) {
        detail::fail(category::InvalidBatchRule, "cannot derive a rule for batch size ",
                     batchSize, ": available batch size 0");
      }
      const size_t rest = batchSize % smallest;
      sizes.assign(batchSize / smallest + (rest == 0 ? 0 : 1), smallest);
      lastPadding = rest == 0 ? 0 : smallest - rest;
    }
    setRule(BatchRule(batchSize, sizes, lastPadding));
  }

  size_t nRules() const { return rules_.size(); }

  // All registered rules by batch size (ascending).
  const std::map<size_t, BatchRule>& rules() const { return rules_; }

 private:
  std::map<size_t, BatchRule> rules_;
};

}  // namespace tfaot

#endif  // TFAOT_BATCHING_H
