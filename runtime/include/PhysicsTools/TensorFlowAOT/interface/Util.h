// CMSSW compatibility: code written for PhysicsTools/TensorFlowAOT includes this path; the
// tfaot runtime provides the same API (see tfaot/Arrays.h).
#ifndef TFAOT_CMSSW_UTIL_H
#define TFAOT_CMSSW_UTIL_H

#include "tfaot/Arrays.h"

#endif
