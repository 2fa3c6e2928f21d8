# End-to-end tests on the CMS tfaot models: tfaot-compile -> C++ programs that include only
# the package's model.h and tfaot/Model.h -> results vs golden.json. They skip (77) when
# ../shared/models is absent. The driver is tests/e2e/run_cms_e2e.sh.
set(_tfaot_e2e_env
  TFAOT_COMPILE=$<TARGET_FILE:tfaot-compile>
  TFAOT_CHECK=$<TARGET_FILE:tfaot-check>
  TFAOT_SOURCE_DIR=${CMAKE_SOURCE_DIR}
  TFAOT_SHARED_DIR=${TFAOT_SHARED_DIR}
  CXX=${CMAKE_CXX_COMPILER})
function(tfaot_cms_e2e name)
  add_test(NAME e2e_cms_${name} COMMAND ${CMAKE_SOURCE_DIR}/tests/e2e/run_cms_e2e.sh ${ARGN})
  set_tests_properties(e2e_cms_${name} PROPERTIES
    ENVIRONMENT "${_tfaot_e2e_env};WORK=${CMAKE_CURRENT_BINARY_DIR}/e2e_work/${name}"
    SKIP_RETURN_CODE 77 LABELS e2e TIMEOUT 600)
endfunction()
foreach(id cms_tfaot_simple cms_tfaot_multi cms_tfaot_simple_perturbed cms_tfaot_multi_perturbed)
  tfaot_cms_e2e(golden_${id} golden ${id})
endforeach()
tfaot_cms_e2e(interface interface)
tfaot_cms_e2e(two_models two_models)
tfaot_cms_e2e(check check)
tfaot_cms_e2e(reproducible reproducible)
tfaot_cms_e2e(negative negative)

# The README's example: scripts/run_example.sh compiles examples/models/mlp and runs
# examples/run_example.cc on a batch of 3 (stitched from the compiled sizes and padded).
add_test(NAME e2e_run_example
         COMMAND ${CMAKE_SOURCE_DIR}/scripts/run_example.sh $<TARGET_FILE_DIR:tfaot-compile>)
set_tests_properties(e2e_run_example PROPERTIES
  ENVIRONMENT "CXX=${CMAKE_CXX_COMPILER}"
  PASS_REGULAR_EXPRESSION "batch size 3 .*\n.*y\\[2\\] = [-0-9.e]+ [-0-9.e]+ [-0-9.e]+"
  LABELS e2e TIMEOUT 600)
