// Fuzz target: aot_config.yaml / .json parsing and validation. Input byte 0 bit 0 selects
// the JSON file name (the parser picks the syntax by extension); the rest is the text.
#include "driver/config.h"
#include "support/error.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  if (size == 0) return 0;
  const bool json = data[0] & 1;
  const std::string text(reinterpret_cast<const char*>(data) + 1, size - 1);
  try {
    tfaot::driver::parse_config(text, json ? "/nonexistent/aot_config.json"
                                           : "/nonexistent/aot_config.yaml");
  } catch (const tfaot::Error&) {
  }
  return 0;
}
