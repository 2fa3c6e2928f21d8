// tfaot_fuzz_pack OUT [FILE | -BYTE]...: writes the record container of fuzz_util.h with one
// record per argument: a file's bytes, or for "-N" the single byte N (mode records).
#include <cstdio>
#include <fstream>
#include <iterator>
#include <string>
#include <vector>

#include "fuzz_util.h"

int main(int argc, char** argv) {
  if (argc < 3) {
    std::fprintf(stderr, "usage: tfaot_fuzz_pack OUT [FILE | -BYTE]...\n");
    return 2;
  }
  std::vector<std::string> records;
  for (int i = 2; i < argc; ++i) {
    std::string arg = argv[i];
    if (arg.size() > 1 && arg[0] == '-') {
      records.push_back(std::string(1, static_cast<char>(std::stoi(arg.substr(1)))));
      continue;
    }
    std::ifstream in(arg, std::ios::binary);
    if (!in) {
      std::fprintf(stderr, "tfaot_fuzz_pack: cannot read %s\n", argv[i]);
      return 1;
    }
    records.emplace_back(std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>());
  }
  tfaot::fuzz::write_file(argv[1], tfaot::fuzz::pack_records(records));
  return 0;
}
