// A stand-in for CMSSW's cms::Exception (FWCore/Utilities/interface/Exception.h) with just what
// tfaot's runtime uses of it: construction from a category, streaming the message with <<
// (also on a temporary, as in `throw cms::Exception("Category") << message`), category(),
// message() and a what() that, like CMSSW's, holds the category and the message. Only the
// tfaot_runtime_cmssw_tests binary has this directory on its include path
// (tests/e2e/cmssw_exceptions.cmake), so the runtime takes its CMSSW branch there.
#ifndef TFAOT_TEST_FAKE_CMS_EXCEPTION_H
#define TFAOT_TEST_FAKE_CMS_EXCEPTION_H

#include <exception>
#include <sstream>
#include <string>

namespace cms {

class Exception : public std::exception {
 public:
  explicit Exception(const std::string& category) : category_(category) { update(); }
  Exception(const std::string& category, const std::string& message)
      : category_(category), message_(message) {
    update();
  }
  ~Exception() override = default;

  const std::string& category() const { return category_; }
  std::string message() const { return message_; }
  const char* what() const noexcept override { return what_.c_str(); }

  template <typename T>
  friend Exception& operator<<(Exception& e, const T& value) {
    std::ostringstream text;
    text << value;
    e.message_ += text.str();
    e.update();
    return e;
  }
  template <typename T>
  friend Exception& operator<<(Exception&& e, const T& value) {
    return e << value;
  }

 private:
  void update() {
    what_ = "An exception of category '" + category_ + "' occurred.\nException Message:\n" +
            message_ + "\n";
  }

  std::string category_;
  std::string message_;
  std::string what_;
};

}  // namespace cms

#endif  // TFAOT_TEST_FAKE_CMS_EXCEPTION_H
