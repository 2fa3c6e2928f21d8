# Second architecture (aarch64 under qemu-aarch64) and run-time dispatch under qemu-x86_64 -cpu
# models (release tree only: the sanitizer tree runs the out-of-process path in the back-end
# unit tests); skips (77) without the cross compiler or qemu-user. Driver: tests/e2e/run_arch_e2e.sh.
if(NOT TFAOT_SANITIZE)
  add_test(NAME e2e_arch COMMAND ${CMAKE_SOURCE_DIR}/tests/e2e/run_arch_e2e.sh)
  set_tests_properties(e2e_arch PROPERTIES
    ENVIRONMENT "TFAOT_VALIDATE=$<TARGET_FILE:tfaot-validate>;TFAOT_COMPILE=$<TARGET_FILE:tfaot-compile>;TFAOT_SOURCE_DIR=${CMAKE_SOURCE_DIR};WORK=${CMAKE_CURRENT_BINARY_DIR}/e2e_work/arch"
    SKIP_RETURN_CODE 77 LABELS e2e TIMEOUT 600)
endif()
