// Umbrella header of the tfaot runtime (header-only, C++17, standard library only).
#ifndef TFAOT_TFAOT_H
#define TFAOT_TFAOT_H

#include "tfaot/Arrays.h"
#include "tfaot/Batching.h"
#include "tfaot/Exception.h"
#include "tfaot/Flat.h"
#include "tfaot/Model.h"

#endif  // TFAOT_TFAOT_H
