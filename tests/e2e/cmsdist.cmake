# CMSDIST's tfaot model recipe (tfaot-compile.file + tfaot-model-test-simple.spec) run with the
# RPM macros expanded by hand against tfaot installed into a scratch prefix
# (tests/e2e/run_cmsdist_recipe.sh).
# System compiler and install checks: the sanitizer tree would only repeat them.
if(NOT TFAOT_SANITIZE)
add_test(NAME e2e_cmsdist_recipe COMMAND ${CMAKE_SOURCE_DIR}/tests/e2e/run_cmsdist_recipe.sh)
set_tests_properties(e2e_cmsdist_recipe PROPERTIES
  ENVIRONMENT "TFAOT_BUILD_DIR=${CMAKE_BINARY_DIR};TFAOT_SOURCE_DIR=${CMAKE_SOURCE_DIR};WORK=${CMAKE_CURRENT_BINARY_DIR}/e2e_work/cmsdist_recipe;CXX=${CMAKE_CXX_COMPILER}"
  LABELS "e2e;install" TIMEOUT 900)
endif()
