// CMSSW compatibility: code written for PhysicsTools/TensorFlowAOT includes this path; the
// tfaot runtime provides the same API (see tfaot/Batching.h).
#ifndef TFAOT_CMSSW_BATCHING_H
#define TFAOT_CMSSW_BATCHING_H

#include "tfaot/Batching.h"

#endif
