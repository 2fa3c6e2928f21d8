// tfaot::Exception: the one exception type the runtime throws.
//
// It derives from std::runtime_error so generic handlers catch it. category() is a short
// machine-checkable tag (CMSSW's cms::Exception category equivalent):
//   "InputMismatch"     wrong number / shape / batch size of inputs, null pointers
//   "OutputMismatch"    wrong number of requested outputs, null output pointers
//   "BatchRule"         malformed or inconsistent batch rules, sizes that are not compiled
//   "UnknownBatchSize"  no rule registered / batch size not compiled (getRule, runCompiled)
//   "InvalidBatchSize"  batch size 0
//   "RunFailed"         the generated code refused a call (cannot happen for compiled sizes)
// what() is "<category>: <message>"; message() is the message alone.
#ifndef TFAOT_EXCEPTION_H
#define TFAOT_EXCEPTION_H

#include <sstream>
#include <stdexcept>
#include <string>
#include <utility>

namespace tfaot {

class Exception : public std::runtime_error {
 public:
  Exception(std::string category, std::string message)
      : std::runtime_error(category + ": " + message),
        category_(std::move(category)),
        message_(std::move(message)) {}

  const std::string& category() const noexcept { return category_; }
  const std::string& message() const noexcept { return message_; }

 private:
  std::string category_;
  std::string message_;
};

namespace detail {

// Builds the message by streaming all arguments, then throws.
template <typename... Args>
[[noreturn]] void fail(const char* category, const Args&... args) {
  std::ostringstream message;
  (message << ... << args);
  throw Exception(category, message.str());
}

}  // namespace detail
}  // namespace tfaot

#endif  // TFAOT_EXCEPTION_H
