// Batch rules and strategies (the semantics of CMSSW's PhysicsTools/TensorFlowAOT Batching).
//
// A model is compiled for a few batch sizes only. A BatchRule says how an arbitrary batch size
// is evaluated: as a sequence of compiled sizes whose sum covers it, the last one padded with
// zero entries. Example: batch size 5 from compiled sizes 2,2,2 with last padding 1 -- the
// third call runs one real entry and one zero entry whose result is dropped.
//
// A BatchStrategy maps batch sizes to rules. tfaot::Model registers a default rule the first
// time it sees a batch size without one (see BatchStrategy::setDefaultRule).
#ifndef TFAOT_BATCHING_H
#define TFAOT_BATCHING_H

#include <algorithm>
#include <charconv>
#include <cstddef>
#include <fstream>
#include <limits>
#include <map>
#include <ostream>
#include <string>
#include <string_view>
#include <system_error>
#include <vector>

#include "tfaot/Exception.h"

namespace tfaot {

class BatchRule {
 public:
  // Target `batchSize` from the compiled `sizes` (in call order), the last of which is padded
  // by `lastPadding` entries. Throws Exception("BatchRule") unless sizes is non-empty, every
  // size is positive, lastPadding < the last size and sum(sizes) - lastPadding == batchSize.
  explicit BatchRule(size_t batchSize, const std::vector<size_t>& sizes, size_t lastPadding = 0)
      : batchSize_(batchSize), sizes_(sizes), lastPadding_(lastPadding) {
    validate();
  }

  // Parses "batchSize:size1,...,sizeN", e.g. "5:2,2,2"; the padding is sum(sizes) - batchSize
  // (so "5:1,4" stitches without padding). Numbers are non-negative decimal integers; spaces
  // around them are allowed, anything else is an error (Exception("BatchRule")).
  BatchRule(const std::string& ruleString) : batchSize_(0), lastPadding_(0) {
    const std::string_view rule(ruleString);
    const size_t colon = rule.find(':');
    if (colon == std::string_view::npos) {
      detail::fail("BatchRule", "invalid batch rule '", ruleString,
                   "': expected 'batchSize:size1,...,sizeN'");
    }
    batchSize_ = parseNumber(rule.substr(0, colon), ruleString, "target batch size");
    std::string_view rest = rule.substr(colon + 1);
    size_t sum = 0;
    while (true) {
      const size_t comma = rest.find(',');
      const size_t size = parseNumber(rest.substr(0, comma), ruleString, "size");
      if (size > std::numeric_limits<size_t>::max() - sum) {
        detail::fail("BatchRule", "invalid batch rule '", ruleString, "': sizes overflow");
      }
      sizes_.push_back(size);
      sum += size;
      if (comma == std::string_view::npos) break;
      rest = rest.substr(comma + 1);
    }
    if (sum < batchSize_) {
      detail::fail("BatchRule", "invalid batch rule '", ruleString, "': sum of sizes ", sum,
                   " is smaller than the target batch size ", batchSize_);
    }
    lastPadding_ = sum - batchSize_;
    try {
      validate();
    } catch (const Exception& e) {
      detail::fail("BatchRule", "invalid batch rule '", ruleString, "': ", e.message());
    }
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

  static size_t parseNumber(std::string_view text, const std::string& rule, const char* what) {
    while (!text.empty() && text.front() == ' ') text.remove_prefix(1);
    while (!text.empty() && text.back() == ' ') text.remove_suffix(1);
    size_t value = 0;
    const char* end = text.data() + text.size();
    const auto result = std::from_chars(text.data(), end, value);
    if (text.empty() || result.ec != std::errc() || result.ptr != end) {
      detail::fail("BatchRule", "invalid batch rule '", rule, "': ", what, " '", text,
                   "' is not a non-negative integer");
    }
    return value;
  }

  void validate() const {
    if (sizes_.empty()) {
      detail::fail("BatchRule", "batch rule for batch size ", batchSize_,
                   ": no sizes given for stitching");
    }
    size_t sum = 0;
    for (size_t i = 0; i < sizes_.size(); ++i) {
      if (sizes_[i] == 0) {
        detail::fail("BatchRule", "batch rule for batch size ", batchSize_, ": size ", i,
                     " is 0");
      }
      if (sizes_[i] > std::numeric_limits<size_t>::max() - sum) {
        detail::fail("BatchRule", "batch rule for batch size ", batchSize_, ": sizes overflow");
      }
      sum += sizes_[i];
    }
    if (lastPadding_ >= sizes_.back()) {
      detail::fail("BatchRule", "batch rule for batch size ", batchSize_, ": padding ",
                   lastPadding_, " must be smaller than the last size ", sizes_.back());
    }
    if (sum - lastPadding_ != batchSize_) {
      detail::fail("BatchRule", "batch rule for batch size ", batchSize_,
                   ": sum of sizes minus padding is ", sum - lastPadding_);
    }
  }
};

inline std::ostream& operator<<(std::ostream& out, const BatchRule& rule) {
  out << "BatchRule(batchSize=" << rule.getBatchSize() << ", sizes=";
  for (size_t i = 0; i < rule.nSizes(); ++i) out << (i == 0 ? "" : ",") << rule.getSize(i);
  return out << ", lastPadding=" << rule.getLastPadding() << ")";
}

// Reads a batch rules file, as tfaot-tune writes it: one rule "batchSize:size1,...,sizeN" per
// line; blank lines and '#' comments are ignored. Throws Exception("BatchRule") naming the file
// (and line) if it cannot be read, a rule is invalid or a batch size has two rules. `lines`, if
// given, receives each rule's line number (so that later checks can name the line too).
inline std::vector<BatchRule> readBatchRules(const std::string& path,
                                             std::vector<size_t>* lines = nullptr) {
  if (lines != nullptr) lines->clear();
  std::ifstream in(path);
  if (!in) detail::fail("BatchRule", "cannot read batch rules file '", path, "'");
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
      detail::fail("BatchRule", path, ":", number, ": ", e.message());
    }
    if (lines != nullptr) lines->push_back(number);
    for (size_t i = 0; i + 1 < rules.size(); ++i) {
      if (rules[i].getBatchSize() == rules.back().getBatchSize()) {
        detail::fail("BatchRule", path, ":", number, ": second rule for batch size ",
                     rules.back().getBatchSize());
      }
    }
  }
  if (in.bad()) detail::fail("BatchRule", "cannot read batch rules file '", path, "'");
  return rules;
}

class BatchStrategy {
 public:
  BatchStrategy() = default;

  // Registers (or replaces) the rule of rule.getBatchSize().
  void setRule(const BatchRule& rule) { rules_.insert_or_assign(rule.getBatchSize(), rule); }
  void setRule(const std::string& ruleString) { setRule(BatchRule(ruleString)); }

  bool hasRule(size_t batchSize) const { return rules_.find(batchSize) != rules_.end(); }

  // Throws Exception("UnknownBatchSize") if no rule is registered for batchSize.
  const BatchRule& getRule(size_t batchSize) const {
    const auto it = rules_.find(batchSize);
    if (it == rules_.end()) {
      detail::fail("UnknownBatchSize", "batch size ", batchSize,
                   " not known to the batching strategy");
    }
    return it->second;
  }

  // CMSSW's default algorithm: the batch size itself if it is available; otherwise the
  // smallest available size repeated ceil(batchSize / smallest) times, the last one padded.
  // (So it never mixes sizes: 5 with {2,4} becomes 2,2,2 with padding 1.)
  void setDefaultRule(size_t batchSize, const std::vector<size_t>& availableBatchSizes) {
    if (availableBatchSizes.empty()) {
      detail::fail("BatchRule", "cannot derive a rule for batch size ", batchSize,
                   ": no available batch sizes");
    }
    if (batchSize == 0) {
      detail::fail("BatchRule", "cannot derive a rule for batch size 0");
    }
    std::vector<size_t> sizes;
    size_t lastPadding = 0;
    if (std::find(availableBatchSizes.begin(), availableBatchSizes.end(), batchSize) !=
        availableBatchSizes.end()) {
      sizes.push_back(batchSize);
    } else {
      const size_t smallest = *std::min_element(availableBatchSizes.begin(),
                                                availableBatchSizes.end());
      if (smallest == 0) {
        detail::fail("BatchRule", "cannot derive a rule for batch size ", batchSize,
                     ": available batch size 0");
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
