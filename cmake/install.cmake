# Installed CMake package and pkg-config file of tfaot (included by the top-level CMakeLists.txt
# after the tools are defined). Everything is relative to the install prefix, so an installed
# tree can be moved: tfaotConfig.cmake finds its prefix from its own location, tfaot.pc from
# ${pcfiledir}.
include(CMakePackageConfigHelpers)

set(TFAOT_CMAKE_INSTALL_DIR ${CMAKE_INSTALL_LIBDIR}/cmake/tfaot)

set_target_properties(tfaot_runtime_headers PROPERTIES EXPORT_NAME runtime)
target_compile_features(tfaot_runtime_headers INTERFACE cxx_std_17)
install(TARGETS tfaot_runtime_headers EXPORT tfaotTargets)
install(EXPORT tfaotTargets NAMESPACE tfaot:: DESTINATION ${TFAOT_CMAKE_INSTALL_DIR})

configure_package_config_file(${CMAKE_CURRENT_LIST_DIR}/tfaotConfig.cmake.in
  ${CMAKE_BINARY_DIR}/cmake/tfaotConfig.cmake
  INSTALL_DESTINATION ${TFAOT_CMAKE_INSTALL_DIR})
write_basic_package_version_file(${CMAKE_BINARY_DIR}/cmake/tfaotConfigVersion.cmake
  VERSION ${PROJECT_VERSION} COMPATIBILITY SameMinorVersion)
install(FILES ${CMAKE_BINARY_DIR}/cmake/tfaotConfig.cmake ${CMAKE_BINARY_DIR}/cmake/tfaotConfigVersion.cmake
              ${CMAKE_CURRENT_LIST_DIR}/TfaotAddModel.cmake
        DESTINATION ${TFAOT_CMAKE_INSTALL_DIR})

# pkg-config: the runtime headers (a compiled model has its own tfaot-model-NAME.pc).
file(RELATIVE_PATH TFAOT_PC_TO_PREFIX ${CMAKE_INSTALL_PREFIX}/${CMAKE_INSTALL_LIBDIR}/pkgconfig
     ${CMAKE_INSTALL_PREFIX})
string(REGEX REPLACE "/$" "" TFAOT_PC_TO_PREFIX "${TFAOT_PC_TO_PREFIX}")
configure_file(${CMAKE_CURRENT_LIST_DIR}/tfaot.pc.in ${CMAKE_BINARY_DIR}/cmake/tfaot.pc @ONLY)
install(FILES ${CMAKE_BINARY_DIR}/cmake/tfaot.pc DESTINATION ${CMAKE_INSTALL_LIBDIR}/pkgconfig)
