# The runtime inside CMSSW: every runtime test, plus tests/runtime/cmssw_exceptions.cc, built
# against a stand-in FWCore/Utilities/interface/Exception.h (tests/runtime/fake_cmssw), so
# tfaot::Exception is cms::Exception and each error must arrive as one with CMSSW's category.
# C++17 and CMSSW's release warning flags, as scram builds a plugin. Release tree only: the
# sanitizer tree runs the same tests in standalone mode.
if(NOT TFAOT_SANITIZE)
file(GLOB _tfaot_cmssw_tests CONFIGURE_DEPENDS ${CMAKE_CURRENT_SOURCE_DIR}/runtime/*_test.cc)
add_executable(tfaot_runtime_cmssw_tests ${CMAKE_CURRENT_SOURCE_DIR}/runtime/cmssw_exceptions.cc
                                         ${_tfaot_cmssw_tests})
target_include_directories(tfaot_runtime_cmssw_tests PRIVATE
                           ${CMAKE_CURRENT_SOURCE_DIR}/runtime/fake_cmssw
                           ${CMAKE_CURRENT_SOURCE_DIR}/runtime)
set_target_properties(tfaot_runtime_cmssw_tests PROPERTIES CXX_STANDARD 17 CXX_EXTENSIONS OFF)
target_compile_options(tfaot_runtime_cmssw_tests PRIVATE
  -Wall -Wextra -Wpedantic -Wpessimizing-move $<$<CXX_COMPILER_ID:GNU>:-Wclass-memaccess>
  -Wunused -Wparentheses
  -Wnon-virtual-dtor -Werror=missing-braces -Werror=sign-compare -Werror=narrowing
  -Werror=unused-variable -Werror=unused-but-set-variable -Werror=reorder
  -Werror=strict-aliasing -Werror=type-limits -Werror=switch -Werror=return-type
  -Werror=unused-value -Werror=address -Werror=format -Werror=write-strings
  -Werror=delete-non-virtual-dtor -Werror=overflow -Werror=array-bounds)
target_link_libraries(tfaot_runtime_cmssw_tests PRIVATE tfaot_runtime_headers GTest::gtest_main)
gtest_discover_tests(tfaot_runtime_cmssw_tests TEST_PREFIX cmssw. DISCOVERY_TIMEOUT 60
                     PROPERTIES LABELS unit)
endif()
