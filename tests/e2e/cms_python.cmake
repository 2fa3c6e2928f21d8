# The Python package cms_tfaot (python/) and CMS's test models (python/share/test_models), driven
# by tests/e2e/run_cms_python.sh. Label "python"; the Python tests skip (77) without
# /usr/bin/python3 or PyYAML.

# They drive the installed tree and the system compiler, which the sanitizer tree would prove
# again at twice the cost: release tree only.
if(NOT TFAOT_SANITIZE)

# Generator of python/share/test_models/{simple,multi}/saved_model (deterministic; see its header).
add_executable(tfaot_make_cms_test_models ${CMAKE_SOURCE_DIR}/examples/tools/make_cms_test_models.cc)
target_link_libraries(tfaot_make_cms_test_models PRIVATE tfaot_frontend tfaot_test_support)

set(_tfaot_cms_python_env
  TFAOT_BUILD_DIR=${CMAKE_BINARY_DIR}
  TFAOT_SOURCE_DIR=${CMAKE_SOURCE_DIR}
  TFAOT_BINARIES=$<TARGET_FILE_DIR:tfaot-compile>
  TFAOT_MAKE_CMS_TEST_MODELS=$<TARGET_FILE:tfaot_make_cms_test_models>
  TFAOT_PY_SITE_PACKAGES=${TFAOT_PY_SITE_PACKAGES})
# aot_tools: CMSSW's testAOTTools.py checks on an installed tree; unit: the module API;
# models: the committed models are what the generator writes; validate: they compile and match
# the reference interpreter.
foreach(mode aot_tools unit models validate)
  add_test(NAME e2e_cms_python_${mode} COMMAND ${CMAKE_SOURCE_DIR}/tests/e2e/run_cms_python.sh ${mode})
  set_tests_properties(e2e_cms_python_${mode} PROPERTIES
    ENVIRONMENT "${_tfaot_cms_python_env};WORK=${CMAKE_CURRENT_BINARY_DIR}/e2e_work/cms_python_${mode}"
    SKIP_RETURN_CODE 77 LABELS "e2e;python" TIMEOUT 900)
endforeach()
endif()
