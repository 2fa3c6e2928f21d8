# cmsml_check_aot_compatibility (cmsml's command over tfaot's op support) end to end; the driver
# is tests/e2e/run_cmsml_check.sh, one test per mode. The CMS model part of "models" skips with
# a message when ../shared/models is absent.
if(TARGET cmsml_check_aot_compatibility)
  foreach(mode example unsupported devices table usage models)
    add_test(NAME e2e_cmsml_check_${mode} COMMAND ${CMAKE_SOURCE_DIR}/tests/e2e/run_cmsml_check.sh ${mode})
    set_tests_properties(e2e_cmsml_check_${mode} PROPERTIES
      ENVIRONMENT "CMSML_CHECK=$<TARGET_FILE:cmsml_check_aot_compatibility>;TFAOT_CHECK=$<TARGET_FILE:tfaot-check>;TFAOT_SOURCE_DIR=${CMAKE_SOURCE_DIR};TFAOT_SHARED_DIR=${TFAOT_SHARED_DIR};WORK=${CMAKE_CURRENT_BINARY_DIR}/e2e_work/cmsml_check_${mode}"
      LABELS e2e TIMEOUT 300)
  endforeach()
endif()
