// Reading a file named by a model or a config (issue 18: a model is untrusted input).
#pragma once

#include <cstdint>
#include <filesystem>
#include <string>
#include <string_view>

namespace tfaot {

// The whole of `path`, which must be a regular file of at most `max_bytes` bytes. It is opened
// once, without blocking (a FIFO would otherwise wait for a writer forever), and checked with
// fstat on that descriptor before anything is allocated: a FIFO, a device such as /dev/zero, a
// directory or a 3 GiB sparse file is one error naming `what` and the path, without reading it.
std::string read_regular_file(const std::filesystem::path& path, std::string_view what, uint64_t max_bytes);

}  // namespace tfaot
