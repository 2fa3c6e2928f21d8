// CMSSW compatibility: code written for PhysicsTools/TensorFlowAOT includes this path; the
// tfaot runtime provides the same API (see tfaot/Model.h).
#ifndef TFAOT_CMSSW_MODEL_H
#define TFAOT_CMSSW_MODEL_H

#include "tfaot/Model.h"

#endif
