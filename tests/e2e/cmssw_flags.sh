# CMSSW's release compiler flags (the warning set of a CMSSW release's scram C++ flags), sourced
# by the e2e drivers that build CMSSW-style code against tfaot packages: generated headers and
# runtime headers must compile warning-free with these, as normal -I includes.
CMSSW_CXXFLAGS=(
  -O3 -march=x86-64-v3 -Wall -Wextra -Wpessimizing-move -Wclass-memaccess -Wunused -Wparentheses
  -Wnon-virtual-dtor -Werror=missing-braces -Werror=sign-compare -Werror=narrowing
  -Werror=unused-variable -Werror=unused-but-set-variable -Werror=reorder -Werror=strict-aliasing
  -Werror=type-limits -Werror=switch -Werror=return-type -Werror=unused-value -Werror=address
  -Werror=format -Werror=write-strings -Werror=delete-non-virtual-dtor -Werror=overflow
  -Werror=array-bounds -fPIC
)
# -march=x86-64-v3 only where the compiler targets x86-64 (CMSSW's aarch64 releases use others).
if [[ $(uname -m) != x86_64 ]]; then
  CMSSW_CXXFLAGS=("${CMSSW_CXXFLAGS[@]/-march=x86-64-v3/}")
fi
