# End-to-end test of string inputs and lookup tables: run_strings_e2e.sh writes a small
# SavedModel (text format, a HashTableV2 filled by the init op), compiles it with
# tfaot-compile and runs it through tfaot::Model with tfaot::StringArrays. Needs no corpus.
add_test(NAME e2e_strings COMMAND ${CMAKE_SOURCE_DIR}/tests/e2e/run_strings_e2e.sh)
set_tests_properties(e2e_strings PROPERTIES
  ENVIRONMENT "TFAOT_COMPILE=$<TARGET_FILE:tfaot-compile>;TFAOT_SOURCE_DIR=${CMAKE_SOURCE_DIR};CXX=${CMAKE_CXX_COMPILER};WORK=${CMAKE_CURRENT_BINARY_DIR}/e2e_work/strings"
  LABELS e2e TIMEOUT 600)

# Keras-style TextVectorization (fused into _TextVectorize) through tfaot::Model.
add_test(NAME e2e_text COMMAND ${CMAKE_SOURCE_DIR}/tests/e2e/run_text_e2e.sh)
set_tests_properties(e2e_text PROPERTIES
  ENVIRONMENT "TFAOT_COMPILE=$<TARGET_FILE:tfaot-compile>;TFAOT_SOURCE_DIR=${CMAKE_SOURCE_DIR};CXX=${CMAKE_CXX_COMPILER};WORK=${CMAKE_CURRENT_BINARY_DIR}/e2e_work/text"
  LABELS e2e TIMEOUT 600)
