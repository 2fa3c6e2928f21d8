# The corpus test: tfaot-validate on every model with a golden.json (release tree only; the
# sanitizer tree runs the unit and CMS end-to-end tests).
if(NOT TFAOT_SANITIZE)
  add_test(NAME corpus_golden COMMAND ${CMAKE_SOURCE_DIR}/tests/e2e/corpus.sh)
  set_tests_properties(corpus_golden PROPERTIES
    ENVIRONMENT "TFAOT_VALIDATE=$<TARGET_FILE:tfaot-validate>;TFAOT_SHARED_DIR=${TFAOT_SHARED_DIR};WORK=${CMAKE_CURRENT_BINARY_DIR}/corpus_work"
    SKIP_RETURN_CODE 77 LABELS corpus TIMEOUT 1800 RUN_SERIAL TRUE)
endif()
