# CMSSW's release flags: generated and runtime headers compile without diagnostics, a
# CMSSW-style plugin (a -fPIC shared library with the model's objects) loads and runs
# (tests/e2e/run_cmssw_flags.sh; the flags are in tests/e2e/cmssw_flags.sh).
# System compiler and install checks: the sanitizer tree would only repeat them.
if(NOT TFAOT_SANITIZE)
add_test(NAME e2e_cmssw_flags COMMAND ${CMAKE_SOURCE_DIR}/tests/e2e/run_cmssw_flags.sh)
set_tests_properties(e2e_cmssw_flags PROPERTIES
  ENVIRONMENT "TFAOT_COMPILE=$<TARGET_FILE:tfaot-compile>;TFAOT_SOURCE_DIR=${CMAKE_SOURCE_DIR};WORK=${CMAKE_CURRENT_BINARY_DIR}/e2e_work/cmssw_flags;CXX=${CMAKE_CXX_COMPILER}"
  LABELS e2e TIMEOUT 900)
endif()
