#include "support/file.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>

#include "support/error.h"

namespace tfaot {

namespace {

class Fd {
 public:
  explicit Fd(int fd) : fd_(fd) {}
  ~Fd() {
    if (fd_ >= 0) ::close(fd_);
  }
  Fd(const Fd&) = delete;
  Fd& operator=(const Fd&) = delete;
  int get() const { return fd_; }

 private:
  int fd_;
};

}  // namespace

std::string read_regular_file(const std::filesystem::path& path, std::string_view what, uint64_t max_bytes) {
  const std::string name = path.string();
  Fd fd(::open(name.c_str(), O_RDONLY | O_NONBLOCK | O_CLOEXEC | O_NOCTTY));
  if (fd.get() < 0) {
    if (errno == ENOENT) fail("{} {} does not exist", what, name);
    fail("cannot open {} {}: {}", what, name, std::strerror(errno));
  }
  struct stat st {};
  if (::fstat(fd.get(), &st) != 0) fail("cannot stat {} {}: {}", what, name, std::strerror(errno));
  if (S_ISDIR(st.st_mode)) fail("{} {} is a directory, not a file", what, name);
  if (!S_ISREG(st.st_mode)) fail("{} {} is not a regular file (a FIFO, socket or device)", what, name);
  const uint64_t size = static_cast<uint64_t>(st.st_size);
  if (size > max_bytes) fail("{} {} is {} bytes, more than {} bytes", what, name, size, max_bytes);
  // Back to blocking reads (a regular file never blocks; this only matters for odd file systems).
  ::fcntl(fd.get(), F_SETFL, ::fcntl(fd.get(), F_GETFL) & ~O_NONBLOCK);
  std::string data(size, '\0');
  uint64_t done = 0;
  while (done < size) {
    const ssize_t n = ::read(fd.get(), data.data() + done, size - done);
    if (n < 0 && errno == EINTR) continue;
    if (n < 0) fail("cannot read {} {}: {}", what, name, std::strerror(errno));
    if (n == 0) break;  // shrank while reading
    done += static_cast<uint64_t>(n);
  }
  data.resize(done);
  return data;
}

}  // namespace tfaot
