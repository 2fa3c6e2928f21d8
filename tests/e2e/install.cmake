# Installation and packaging tests on the example model (tests/e2e/run_install_e2e.sh):
# the installed CMake package / pkg-config files and the examples built against a moved
# prefix, tfaot-compile --install-prefix relocation, and reproducible outputs. Label "install".
foreach(mode consumers relocate reproducible)
  add_test(NAME e2e_install_${mode} COMMAND ${CMAKE_SOURCE_DIR}/tests/e2e/run_install_e2e.sh ${mode})
  set_tests_properties(e2e_install_${mode} PROPERTIES
    ENVIRONMENT "TFAOT_BUILD_DIR=${CMAKE_BINARY_DIR};TFAOT_COMPILE=$<TARGET_FILE:tfaot-compile>;TFAOT_SOURCE_DIR=${CMAKE_SOURCE_DIR};WORK=${CMAKE_CURRENT_BINARY_DIR}/e2e_work/install_${mode};CXX=${CMAKE_CXX_COMPILER}"
    LABELS "e2e;install" TIMEOUT 600)
endforeach()
