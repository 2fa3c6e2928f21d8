# cms_tfaot_compile: cms-tfaot's flags, layouts and messages (tests/e2e/run_cms_compile.sh).
# Release tree only: its C++ (layouts, XLA flags) is unit-tested in both trees (Outputs*,
# XlaFlags*), and the compilations it runs are tfaot-compile's, which the sanitizer tree covers.
if(NOT TFAOT_SANITIZE)
add_test(NAME e2e_cms_tfaot_compile COMMAND ${CMAKE_SOURCE_DIR}/tests/e2e/run_cms_compile.sh)
set_tests_properties(e2e_cms_tfaot_compile PROPERTIES
  ENVIRONMENT "CMS_TFAOT_COMPILE=$<TARGET_FILE:cms_tfaot_compile>;TFAOT_SOURCE_DIR=${CMAKE_SOURCE_DIR};WORK=${CMAKE_CURRENT_BINARY_DIR}/e2e_work/cms_tfaot_compile"
  LABELS e2e TIMEOUT 900)
endif()
