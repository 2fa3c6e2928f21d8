# End-to-end tests of the dynamic-batch entry (MLP example, a small CNN, configured sizes run as
# blocks, a refused model) and of
# multi-target objects with run-time dispatch; driver: tests/e2e/run_dynamic_e2e.sh.
foreach(mode mlp cnn blocked refused targets)
  add_test(NAME e2e_dynamic_${mode} COMMAND ${CMAKE_SOURCE_DIR}/tests/e2e/run_dynamic_e2e.sh ${mode})
  set_tests_properties(e2e_dynamic_${mode} PROPERTIES
    ENVIRONMENT "TFAOT_COMPILE=$<TARGET_FILE:tfaot-compile>;TFAOT_SOURCE_DIR=${CMAKE_SOURCE_DIR};WORK=${CMAKE_CURRENT_BINARY_DIR}/e2e_work/dynamic_${mode};CXX=${CMAKE_CXX_COMPILER}"
    LABELS e2e TIMEOUT 600)
endforeach()
