// Umbrella header of the kernels the generated code calls. The back end includes it at the top
// of every generated .cc. Everything lives in an anonymous namespace inside tfaot_kernels so
// each object file gets its own internal-linkage copy: objects compiled for different -march
// values never ODR-merge. C++17, standard library only, no heap allocation.
#pragma once

#include "tfaot_kernels_elementwise.h"
#include "tfaot_kernels_matmul.h"
#include "tfaot_kernels_nn.h"
#include "tfaot_kernels_gather.h"
#include "tfaot_kernels_random.h"
#include "tfaot_kernels_batch_matmul.h"
#include "tfaot_kernels_batch_norm.h"
#include "tfaot_kernels_conv.h"
#include "tfaot_kernels_conv_gemm.h"
#include "tfaot_kernels_fake_quant.h"
#include "tfaot_kernels_pool.h"
#include "tfaot_kernels_resize.h"
#include "tfaot_kernels_vmath.h"
#include "tfaot_kernels_gemm.h"
#include "tfaot_kernels_strings.h"
