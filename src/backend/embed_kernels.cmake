# cmake -DDIR=<kernels dir> -DOUT=<file.cc> -P embed_kernels.cmake
# Writes a C++ source holding the text of every kernel header under DIR, so that tfaot-compile
# can write them next to the generated code without needing the source tree at run time.
file(GLOB_RECURSE headers RELATIVE ${DIR} ${DIR}/*.h)
list(SORT headers)
set(body "// Generated from src/backend/kernels by embed_kernels.cmake. Do not edit.\n")
string(APPEND body "#include \"backend/kernel_sources.h\"\n\nnamespace tfaot::backend::detail {\n")
string(APPEND body "const EmbeddedFile kEmbeddedKernels[] = {\n")
foreach(h ${headers})
  file(READ ${DIR}/${h} text)
  string(APPEND body "  {\"${h}\", R\"tfaot_embed(${text})tfaot_embed\"},\n")
endforeach()
string(APPEND body "  {nullptr, nullptr}};\n}  // namespace tfaot::backend::detail\n")
# Only touch the output when it changes (avoids needless rebuilds).
if(EXISTS ${OUT})
  file(READ ${OUT} old)
  if(old STREQUAL body)
    return()
  endif()
endif()
file(WRITE ${OUT} "${body}")
