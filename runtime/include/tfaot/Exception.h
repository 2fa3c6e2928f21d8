// The exception type of the tfaot runtime, and detail::fail, through which every error goes.
//
// Inside CMSSW (FWCore/Utilities/interface/Exception.h is reachable), tfaot::Exception is
// cms::Exception: every error is thrown as cms::Exception(category) << message, exactly like
// CMSSW's own PhysicsTools/TensorFlowAOT, so the framework reports it like any other. Outside
// CMSSW it is a class derived from std::runtime_error with the same category() names and
// message(); what() is "<category>: <message>". `catch (const tfaot::Exception& e)` and
// e.category() / e.message() work in both builds. Define TFAOT_NO_CMS_EXCEPTION to keep the
// standalone class inside CMSSW.
//
// Categories (tfaot::category::*). CMSSW's, thrown for the conditions CMSSW throws them for
// (Batching.cc, Model.h, Wrapper.cc); docs/cmssw-runtime.md has the full table:
//   InvalidBatchRule  rule string without ':', sum of sizes < batch size, unparsable, negative
//                     or out-of-range numbers, two rules for one batch size in a rules file
//   EmptySizes        a rule without sizes ("0:", setBatchRule(n, {})); run with batch size 0
//   WrongPadding      padding not smaller than the last size
//   WrongBatchSize    sum of sizes minus padding differs from the batch size (or overflows)
//   UnknownBatchSize  getRule without a rule; a rule or call using a size that is not compiled
//   InputMismatch     wrong number of inputs, too few batch entries, wrong entry sizes, null or
//                     misaligned pointers
//   OutputMismatch    wrong number of requested outputs, null output pointers
//   FailedRun         the generated code refused a call (cannot happen for compiled sizes)
// tfaot-only (conditions CMSSW does not check or has no API for):
//   InvalidBatchSize  a batch size no call can have: a negative number converted to size_t,
//                     buffers beyond PTRDIFF_MAX bytes; 0 in the low-level Flat.h functions
//   FileReadError     a batch rules file (setBatchRules, readBatchRules) cannot be read
#ifndef TFAOT_EXCEPTION_H
#define TFAOT_EXCEPTION_H

#include <sstream>
#include <stdexcept>
#include <string>
#include <utility>

#if !defined(TFAOT_NO_CMS_EXCEPTION) && defined(__has_include)
#if __has_include("FWCore/Utilities/interface/Exception.h")
#define TFAOT_CMS_EXCEPTION 1
#include "FWCore/Utilities/interface/Exception.h"
#endif
#endif

namespace tfaot {

namespace category {
inline constexpr const char* InvalidBatchRule = "InvalidBatchRule";
inline constexpr const char* EmptySizes = "EmptySizes";
inline constexpr const char* WrongPadding = "WrongPadding";
inline constexpr const char* WrongBatchSize = "WrongBatchSize";
inline constexpr const char* UnknownBatchSize = "UnknownBatchSize";
inline constexpr const char* InputMismatch = "InputMismatch";
inline constexpr const char* OutputMismatch = "OutputMismatch";
inline constexpr const char* FailedRun = "FailedRun";
inline constexpr const char* InvalidBatchSize = "InvalidBatchSize";
inline constexpr const char* FileReadError = "FileReadError";
}  // namespace category

#ifdef TFAOT_CMS_EXCEPTION

using Exception = cms::Exception;

#else

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

#endif

namespace detail {

// Builds the message by streaming all arguments, then throws it under `category`.
template <typename... Args>
[[noreturn]] void fail(const char* category, const Args&... args) {
  std::ostringstream message;
  (message << ... << args);
#ifdef TFAOT_CMS_EXCEPTION
  throw cms::Exception(category) << message.str();
#else
  throw Exception(category, message.str());
#endif
}

}  // namespace detail
}  // namespace tfaot

#endif  // TFAOT_EXCEPTION_H
