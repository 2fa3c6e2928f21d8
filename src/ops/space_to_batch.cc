// SpaceToBatchND and BatchToSpaceND: the pair TF wraps around a dilated DepthwiseConv2dNative
// (tf.nn.depthwise_conv2d / with_space_to_batch with rate > 1). With M = len(block_shape):
// SpaceToBatchND zero-pads spatial dims 1..M by `paddings` [M, 2] and moves each block offset
// (o1..oM) into the batch: out[(o * batch + n), i1..iM, rest] = padded[n, i1*b1 + o1, ..., rest]
// with o the row-major index of (o1..oM). BatchToSpaceND is the inverse, cropping by `crops`.
// Pure data movement: emitted as one strided copy per block offset (plus a zero fill).
#include <cstring>

#include "ops/nn_util.h"

namespace tfaot::ops {
namespace {

struct Blocks {
  std::vector<int64_t> block;                  // [M]
  std::vector<int64_t> before, after;          // paddings (SpaceToBatch) or crops (BatchToSpace)
  Shape in, out;
};

Blocks blocks(const ir::Node& node, const Shape& in, bool to_batch) {
  const char* amounts = to_batch ? "paddings" : "crops";
  auto block = require_const(node, 1, "block_shape").to_int_vector();
  const Tensor& pads = require_const(node, 2, amounts);
  const size_t m = block.size();
  if (m == 0 || in.size() < m + 1)
    fail("{}: block_shape has {} entries; input {} needs rank >= {}", node.describe(), m,
         shape_str(in), m + 1);
  if (pads.shape() != Shape{int64_t(m), 2})
    fail("{}: {} must have shape [{}, 2], got {}", node.describe(), amounts, m,
         shape_str(pads.shape()));
  Blocks b{block, {}, {}, in, in};
  auto p = pads.to_int_vector();
  int64_t prod = 1;
  for (size_t d = 0; d < m; ++d) {
    if (block[d] < 1)
      fail("{}: block_shape must be positive, got {}", node.describe(), block[d]);
    if (p[2 * d] < 0 || p[2 * d + 1] < 0)
      fail("{}: {} must be non-negative", node.describe(), amounts);
    b.before.push_back(p[2 * d]);
    b.after.push_back(p[2 * d + 1]);
    prod *= block[d];
    int64_t extent = in[d + 1];
    if (to_batch) {
      int64_t padded = extent + p[2 * d] + p[2 * d + 1];
      if (padded % block[d] != 0)
        fail("{}: padded spatial dim {} ({}) is not a multiple of block size {}",
             node.describe(), d + 1, padded, block[d]);
      b.out[d + 1] = padded / block[d];
    } else {
      int64_t full = extent * block[d];
      if (p[2 * d] + p[2 * d + 1] > full)
        fail("{}: crops of spatial dim {} exceed its size {}", node.describe(), d + 1, full);
      b.out[d + 1] = full - p[2 * d] - p[2 * d + 1];
    }
  }
  if (to_batch) {
    b.out[0] = in[0] * prod;
  } else {
    if (in[0] % prod != 0)
      fail("{}: input batch {} is not a multiple of the block size product {}", node.describe(),
           in[0], prod);
    b.out[0] = in[0] / prod;
  }
  return b;
}

// Calls fn(offsets o[M], block index) for every block offset, row-major.
template <typename Fn>
void for_each_offset(const std::vector<int64_t>& block, Fn&& fn) {
  int64_t count = num_elements(block);
  for (int64_t q = 0; q < count; ++q) fn(unravel(q, block), q);
}

class SpaceBatchOp final : public Op {
 public:
  uint64_t flops(const ir::Node&) const override { return 0; }  // data movement
  SpaceBatchOp(const char* name, bool to_batch) : name_(name), to_batch_(to_batch) {}
  std::string_view name() const override { return name_; }

  void infer(ir::Node& node) const override {
    check_num_inputs(node, 3);
    check_static_inputs(node);
    DType t = check_type_attr(node, "T", {0}, kAllTypes);
    check_dtype(node, node.input_type(1).dtype, kIndexTypes, "block_shape");
    check_dtype(node, node.input_type(2).dtype, kIndexTypes, to_batch_ ? "paddings" : "crops");
    node.outputs = {ir::TensorType{t, blocks(node, node.input_type(0).shape, to_batch_).out, true}};
  }

  // `space` is the spatial side (SpaceToBatch input, BatchToSpace output), `batch` the other.
  // For block offset o, spatial position s_d = i_d * b_d + o_d - before_d of batch position i_d.
  std::vector<Tensor> evaluate(const ir::Node& node,
                               std::span<const Tensor* const> in) const override {
    Blocks b = blocks(node, in[0]->shape(), to_batch_);
    const Shape& space = to_batch_ ? b.in : b.out;
    const Shape& batch = to_batch_ ? b.out : b.in;
    Tensor out(in[0]->dtype(), b.out);
    const size_t esize = dtype_size(in[0]->dtype());
    auto sstr = row_major_strides(space);
    const size_t m = b.block.size();
    for (int64_t i = 0; i < num_elements(batch); ++i) {
      auto idx = unravel(i, batch);
      int64_t n = idx[0] % space[0], q = idx[0] / space[0];
      auto o = unravel(q, b.block);
      int64_t s = n * sstr[0];
      bool inside = true;
      for (size_t d = 0; d < m; ++d) {
        int64_t pos = idx[d + 1] * b.block[d] + o[d] - b.before[d];
        if (pos < 0 || pos >= space[d + 1]) inside = false;
        s += pos * sstr[d + 1];
      }
      for (size_t d = m + 1; d < idx.size(); ++d) s += idx[d] * sstr[d];
      if (!inside) continue;  // padding (zero) or cropped away
      if (to_batch_) std::memcpy(out.raw() + i * esize, in[0]->raw() + s * esize, esize);
      else std::memcpy(out.raw() + s * esize, in[0]->raw() + i * esize, esize);
    }
    return {out};
  }

  void emit(const ir::Node& node, EmitContext& ctx) const override {
    Blocks b = blocks(node, node.input_type(0).shape, to_batch_);
    if (num_elements(b.out) == 0) return;
    const Shape& space = to_batch_ ? b.in : b.out;
    const Shape& batch = to_batch_ ? b.out : b.in;
    auto sstr = row_major_strides(space), bstr = row_major_strides(batch);
    const size_t m = b.block.size();
    std::string src = ctx.input(0), dst = ctx.output(0);
    if (to_batch_) {
      // Padding positions stay zero.
      std::string type = dtype_cpp(node.output_type(0).dtype);
      ctx.code() << "for (std::int64_t i = 0; i < " << num_elements(b.out) << "; ++i) " << dst
                 << "[i] = " << type << "(0);\n";
    }
    for_each_offset(b.block, [&](const std::vector<int64_t>& o, int64_t q) {
      // Batch positions i_d whose spatial position lies inside: first and count per dim.
      Shape dims = {space[0]};
      int64_t sbase = 0, bbase = q * space[0] * bstr[0];
      std::vector<int64_t> sst = {sstr[0]}, bst = {bstr[0]};
      for (size_t d = 0; d < m; ++d) {
        int64_t lo = b.before[d] - o[d];  // i_d * b_d >= lo
        int64_t first = lo <= 0 ? 0 : (lo + b.block[d] - 1) / b.block[d];
        int64_t hi = space[d + 1] - 1 + b.before[d] - o[d];  // i_d * b_d <= hi
        int64_t last = hi < 0 ? -1 : std::min(hi / b.block[d], batch[d + 1] - 1);
        int64_t count = std::max<int64_t>(0, last - first + 1);
        dims.push_back(count);
        sbase += (first * b.block[d] + o[d] - b.before[d]) * sstr[d + 1];
        bbase += first * bstr[d + 1];
        sst.push_back(b.block[d] * sstr[d + 1]);
        bst.push_back(bstr[d + 1]);
      }
      for (size_t d = m + 1; d < space.size(); ++d) {
        dims.push_back(space[d]);
        sst.push_back(sstr[d]);
        bst.push_back(bstr[d]);
      }
      if (num_elements(dims) == 0) return;
      if (to_batch_) emit_copy(ctx, src, dst, dims, sbase, sst, bbase, bst);
      else emit_copy(ctx, src, dst, dims, bbase, bst, sbase, sst);
    });
  }

 private:
  const char* name_;
  bool to_batch_;
};

}  // namespace

std::vector<const Op*> space_to_batch_ops() {
  static const SpaceBatchOp s2b("SpaceToBatchND", true), b2s("BatchToSpaceND", false);
  return {&s2b, &b2s};
}

}  // namespace tfaot::ops
