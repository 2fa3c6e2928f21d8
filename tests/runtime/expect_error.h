// Shared by the runtime tests: expects a call to throw tfaot::Exception of a category whose
// what() contains every needle (the model, the argument, the reason).
#pragma once

#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "tfaot/Exception.h"

template <typename F>
void expectError(F&& f, const std::string& category, const std::vector<std::string>& needles) {
  try {
    f();
    ADD_FAILURE() << "no exception (expected " << category << ")";
  } catch (const tfaot::Exception& e) {
    EXPECT_EQ(e.category(), category) << e.what();
    for (const auto& needle : needles) {
      EXPECT_NE(std::string(e.what()).find(needle), std::string::npos)
          << "'" << needle << "' not in: " << e.what();
    }
  }
}
