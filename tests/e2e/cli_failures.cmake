# tfaot-compile's failure behaviour (tests/e2e/run_cli_failures.sh) on the example model:
# interrupts, failing compilers, read-only and full output directories, concurrent runs; and
# interrupts of tfaot-validate, tfaot-tune and tfaot-inspect (signal-tools).
foreach(mode signal signal-tools compiler readonly full concurrent)
  add_test(NAME e2e_cli_${mode} COMMAND ${CMAKE_SOURCE_DIR}/tests/e2e/run_cli_failures.sh ${mode})
  set_tests_properties(e2e_cli_${mode} PROPERTIES
    ENVIRONMENT "TFAOT_COMPILE=$<TARGET_FILE:tfaot-compile>;TFAOT_VALIDATE=$<TARGET_FILE:tfaot-validate>;TFAOT_TUNE=$<TARGET_FILE:tfaot-tune>;TFAOT_INSPECT=$<TARGET_FILE:tfaot-inspect>;TFAOT_SOURCE_DIR=${CMAKE_SOURCE_DIR};WORK=${CMAKE_CURRENT_BINARY_DIR}/e2e_work/cli_${mode};CXX=${CMAKE_CXX_COMPILER}"
    SKIP_RETURN_CODE 77 LABELS e2e TIMEOUT 600)
endforeach()
