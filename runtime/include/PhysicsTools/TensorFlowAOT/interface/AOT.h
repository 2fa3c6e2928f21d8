// CMSSW compatibility: code written for PhysicsTools/TensorFlowAOT includes this path; the
// tfaot runtime provides the same API (see tfaot/tfaot.h).
#ifndef TFAOT_CMSSW_AOT_H
#define TFAOT_CMSSW_AOT_H

#include "tfaot/tfaot.h"

#endif
