# tfaot_add_model(<target> CONFIG <aot_config.yaml>
#                 [BATCH_SIZES n...]    override compilation.batch_sizes
#                 [TARGETS t...]        override compilation.target (passed to --target, comma-joined)
#                 [BATCH_RULES file]    batch rules compiled into model.h (a tfaot-tune --out file;
#                                       overrides compilation.batch_rules)
#                 [OUTPUT_DIR dir]      default ${CMAKE_CURRENT_BINARY_DIR}/tfaot/<target>
#                 [TOOL_NAME name])     default tfaot-model-NAME (include directory name)
#
# Compiles the model of an aot_config.yaml with the installed tfaot-compile at build time and
# makes <target> a static library of the compiled objects whose users get the package's include
# directory and tfaot::runtime:
#
#   find_package(tfaot REQUIRED)
#   tfaot_add_model(mymodel CONFIG model/aot_config.yaml)
#   target_link_libraries(app PRIVATE mymodel)     # #include "tfaot-model-NAME/model.h"
#
# The output files are known from the config alone (tfaot-compile --list-outputs at configure
# time; editing the config re-runs CMake). The compilation re-runs when the config, the model
# files it names (saved_model.pb / variables/* or the frozen graph: tfaot-compile --depfile), the
# batch rules file or tfaot-compile change, and only then. Needs CMake >= 3.20 (DEPFILE with every generator).
#
# CMP0116 NEW (CMake rewrites depfile paths for Ninja) also for projects that declare an older
# cmake_minimum_required: functions keep the policies of their definition, and find_package
# reads this file in its own policy scope, so the caller's policies are not changed.
if(POLICY CMP0116)
  cmake_policy(SET CMP0116 NEW)
endif()

function(tfaot_add_model target)
  cmake_parse_arguments(PARSE_ARGV 1 A "" "CONFIG;OUTPUT_DIR;TOOL_NAME;BATCH_RULES" "BATCH_SIZES;TARGETS")
  set(where "tfaot_add_model(${target})")
  get_filename_component(config "${A_CONFIG}" ABSOLUTE BASE_DIR "${CMAKE_CURRENT_SOURCE_DIR}")
  if(CMAKE_VERSION VERSION_LESS 3.20)
    message(FATAL_ERROR "${where}: needs CMake >= 3.20 (custom command DEPFILE), this is ${CMAKE_VERSION}")
  elseif(A_UNPARSED_ARGUMENTS)
    message(FATAL_ERROR "${where}: unknown arguments: ${A_UNPARSED_ARGUMENTS}")
  elseif(NOT A_CONFIG)
    message(FATAL_ERROR "${where}: CONFIG <aot_config.yaml> is required")
  elseif(NOT EXISTS "${config}")
    message(FATAL_ERROR "${where}: CONFIG file ${config} does not exist")
  endif()
  if(NOT A_OUTPUT_DIR)
    set(A_OUTPUT_DIR "tfaot/${target}")
  endif()
  get_filename_component(out "${A_OUTPUT_DIR}" ABSOLUTE BASE_DIR "${CMAKE_CURRENT_BINARY_DIR}")

  set(args -c "${config}")
  if(A_BATCH_SIZES)
    list(JOIN A_BATCH_SIZES "," sizes)
    list(APPEND args --batch-sizes "${sizes}")
  endif()
  if(A_TARGETS)
    list(JOIN A_TARGETS "," targets)
    list(APPEND args --target "${targets}")
  endif()
  if(A_TOOL_NAME)
    list(APPEND args --tool-name "${A_TOOL_NAME}")
  endif()
  set(rules_dep)
  if(A_BATCH_RULES)
    get_filename_component(rules "${A_BATCH_RULES}" ABSOLUTE BASE_DIR "${CMAKE_CURRENT_SOURCE_DIR}")
    if(NOT EXISTS "${rules}")
      message(FATAL_ERROR "${where}: BATCH_RULES file ${rules} does not exist")
    endif()
    list(APPEND args --batch-rules "${rules}")
    set(rules_dep "${rules}")
  endif()

  # Configure time: which files the compilation writes (cheap: reads only the config).
  get_target_property(compiler tfaot::compile LOCATION)
  set_property(DIRECTORY APPEND PROPERTY CMAKE_CONFIGURE_DEPENDS "${config}")
  execute_process(COMMAND "${compiler}" ${args} --list-outputs
                  OUTPUT_VARIABLE listed ERROR_VARIABLE err RESULT_VARIABLE rc)
  if(NOT rc EQUAL 0)
    string(STRIP "${err}" err)
    message(FATAL_ERROR "${where}: ${err}")
  endif()
  string(STRIP "${listed}" listed)
  string(REPLACE "\n" ";" listed "${listed}")
  set(outputs)
  set(objects)
  foreach(f IN LISTS listed)
    list(APPEND outputs "${out}/${f}")
    if(f MATCHES "^lib/[^/]+\\.o$")
      list(APPEND objects "${out}/${f}")
    endif()
  endforeach()

  # Build time: compile; the depfile adds the model files to the dependencies.
  set(depfile "${CMAKE_CURRENT_BINARY_DIR}/tfaot/${target}.d")
  get_filename_component(out_parent "${out}" DIRECTORY)
  file(MAKE_DIRECTORY "${out_parent}" "${CMAKE_CURRENT_BINARY_DIR}/tfaot")  # tfaot-compile wants them
  add_custom_command(
    OUTPUT ${outputs}
    COMMAND tfaot::compile ${args} -o "${out}" --depfile "${depfile}" -q
    DEPENDS "${config}" ${rules_dep} tfaot::compile
    DEPFILE "${depfile}"
    COMMENT "tfaot-compile ${A_CONFIG} -> ${out}"
    VERBATIM)
  add_library(${target} STATIC ${objects})
  set_target_properties(${target} PROPERTIES LINKER_LANGUAGE CXX)
  target_include_directories(${target} PUBLIC "${out}/include")
  target_link_libraries(${target} PUBLIC tfaot::runtime)
endfunction()
