# Thread safety of generated code under ThreadSanitizer (issue 9): own fixture
# (examples/models/mlp), so it runs without ../shared. TSan cannot be combined with the
# sanitizer tree's ASan, so the test runs only in trees built without TFAOT_SANITIZE.
if(NOT TFAOT_SANITIZE)
  add_test(NAME e2e_threads_tsan COMMAND ${CMAKE_SOURCE_DIR}/tests/e2e/run_threads.sh)
  set_tests_properties(e2e_threads_tsan PROPERTIES
    ENVIRONMENT "TFAOT_COMPILE=$<TARGET_FILE:tfaot-compile>;TFAOT_SOURCE_DIR=${CMAKE_SOURCE_DIR};WORK=${CMAKE_CURRENT_BINARY_DIR}/e2e_work/threads;CXX=${CMAKE_CXX_COMPILER}"
    LABELS e2e TIMEOUT 600)
endif()
