// Heap allocations per run on a warm model: zero for the flat API and runCompiled, exactly the
// returned vectors for run(). Global operator new/delete are replaced (for the whole test
// binary) by counting versions; counting is only on inside a Counting scope.
#include <gtest/gtest.h>

#include <atomic>
#include <cstdlib>
#include <new>
#include <vector>

#include "fake_models.h"
#include "tfaot/tfaot.h"

// The replacements pair malloc with free on purpose; GCC cannot see that through operator new.
#pragma GCC diagnostic ignored "-Wmismatched-new-delete"

namespace {

std::atomic<bool> gCounting{false};
std::atomic<size_t> gAllocations{0};

void* countedAlloc(size_t size, size_t alignment) {
  if (gCounting.load(std::memory_order_relaxed)) gAllocations.fetch_add(1);
  if (size == 0) size = 1;
  void* p;
  if (alignment <= alignof(std::max_align_t)) {
    p = std::malloc(size);
  } else {
    p = std::aligned_alloc(alignment, (size + alignment - 1) / alignment * alignment);
  }
  return p;
}

// Counts allocations from construction to count().
class Counting {
 public:
  Counting() {
    gAllocations = 0;
    gCounting = true;
  }
  ~Counting() { gCounting = false; }
  size_t count() {
    gCounting = false;
    return gAllocations.load();
  }
};

}  // namespace

void* operator new(size_t size) {
  if (void* p = countedAlloc(size, 0)) return p;
  throw std::bad_alloc();
}
void* operator new[](size_t size) {
  if (void* p = countedAlloc(size, 0)) return p;
  throw std::bad_alloc();
}
void* operator new(size_t size, std::align_val_t al) {
  if (void* p = countedAlloc(size, static_cast<size_t>(al))) return p;
  throw std::bad_alloc();
}
void* operator new[](size_t size, std::align_val_t al) {
  if (void* p = countedAlloc(size, static_cast<size_t>(al))) return p;
  throw std::bad_alloc();
}
void* operator new(size_t size, const std::nothrow_t&) noexcept { return countedAlloc(size, 0); }
void* operator new[](size_t size, const std::nothrow_t&) noexcept {
  return countedAlloc(size, 0);
}
void* operator new(size_t size, std::align_val_t al, const std::nothrow_t&) noexcept {
  return countedAlloc(size, static_cast<size_t>(al));
}
void* operator new[](size_t size, std::align_val_t al, const std::nothrow_t&) noexcept {
  return countedAlloc(size, static_cast<size_t>(al));
}
void operator delete(void* p) noexcept { std::free(p); }
void operator delete[](void* p) noexcept { std::free(p); }
void operator delete(void* p, size_t) noexcept { std::free(p); }
void operator delete[](void* p, size_t) noexcept { std::free(p); }
void operator delete(void* p, std::align_val_t) noexcept { std::free(p); }
void operator delete[](void* p, std::align_val_t) noexcept { std::free(p); }
void operator delete(void* p, size_t, std::align_val_t) noexcept { std::free(p); }
void operator delete[](void* p, size_t, std::align_val_t) noexcept { std::free(p); }
void operator delete(void* p, const std::nothrow_t&) noexcept { std::free(p); }
void operator delete[](void* p, const std::nothrow_t&) noexcept { std::free(p); }
void operator delete(void* p, std::align_val_t, const std::nothrow_t&) noexcept { std::free(p); }
void operator delete[](void* p, std::align_val_t, const std::nothrow_t&) noexcept {
  std::free(p);
}

namespace {

TEST(Allocations, CounterWorks) {
  // volatile: the compiler may otherwise elide the new/delete pair.
  static std::vector<int>* volatile sink;
  Counting counting;
  sink = new std::vector<int>(10);  // the vector object and its data
  delete sink;
  tfaot::AlignedBuffer aligned(100);
  EXPECT_EQ(counting.count(), 3u);
}

TEST(Allocations, FlatApiOnWarmModelAllocatesNothing) {
  tfaot::Model<fake::doubler> model;
  model.setBatchRule("7:4,2,2");
  model.setBatchRule("3:4");
  std::vector<float> x(3 * 16, 1.5f), y(3 * 16);
  const void* in[] = {x.data()};
  void* out[] = {y.data()};
  for (size_t bs = 1; bs <= 16; ++bs) model.runFlat(bs, in, out);  // warm-up

  Counting counting;
  for (int repeat = 0; repeat < 3; ++repeat) {
    for (size_t bs = 1; bs <= 16; ++bs) {
      model.runFlat(bs, in, out);
      model.runFlat(bs, {x.data()}, {y.data()});
      model.runFlat(bs, std::make_tuple(x.data()), std::make_tuple(y.data()));
    }
  }
  EXPECT_EQ(counting.count(), 0u);
  EXPECT_EQ(y[3 * 15 + 2], 3.0f);
}

TEST(Allocations, FlatApiMixedTypesPaddedChunks) {
  tfaot::Model<tfaot_model::test_multi> model;
  model.setBatchRule("3:4");
  model.setBatchRule("5:2,4");
  std::vector<float> a(4 * 8, 0.5f), f(2 * 8);
  std::vector<double> d(4 * 8, -0.25);
  bool flags[2 * 8];
  const void* in[] = {a.data(), d.data()};
  void* out[] = {f.data(), flags};
  for (size_t bs = 1; bs <= 8; ++bs) model.runFlat(bs, in, out);

  const size_t callsBefore = tfaot_model::test_multi::log.n;
  Counting counting;
  for (size_t bs = 1; bs <= 8; ++bs) model.runFlat(bs, in, out);
  EXPECT_EQ(counting.count(), 0u);
  EXPECT_GT(tfaot_model::test_multi::log.n, callsBefore);  // the model really ran
}

TEST(Allocations, DynamicEntryOnWarmModelAllocatesNothing) {
  tfaot::Model<fake::dyn_doubler> model;
  std::vector<float> x(3 * 70, 1.5f), y(3 * 70);
  const void* in[] = {x.data()};
  void* out[] = {y.data()};
  for (size_t bs = 1; bs <= 70; ++bs) model.runFlat(bs, in, out);  // warm-up (scratch, rules)
  tfaot::AlignedBuffer scratch(fake::dyn_doubler::dynamic_scratch_bytes);

  const size_t callsBefore = fake::dyn_doubler::dynamicLog.n;
  Counting counting;
  for (size_t bs = 1; bs <= 70; ++bs) {
    model.runFlat(bs, in, out);
    tfaot::runDynamic<fake::dyn_doubler>(bs, in, out, scratch.data());
  }
  EXPECT_EQ(counting.count(), 0u);
  EXPECT_GT(fake::dyn_doubler::dynamicLog.n, callsBefore + 100);  // the entry really ran
  EXPECT_EQ(y[3 * 69], 3.0f);
}

TEST(Allocations, RunCompiledAllocatesNothing) {
  std::vector<float> x(3 * 4, 2.0f), y(3 * 4);
  const void* in[] = {x.data()};
  void* out[] = {y.data()};
  tfaot::AlignedBuffer scratch(fake::doubler::max_scratch_bytes);
  Counting counting;
  for (size_t bs : {1, 2, 4}) tfaot::runCompiled<fake::doubler>(bs, in, out, scratch.data());
  EXPECT_EQ(counting.count(), 0u);
  EXPECT_EQ(y[11], 4.0f);
}

TEST(Allocations, VectorApiAllocatesOnlyTheResults) {
  tfaot::Model<tfaot_model::test_multi> model;
  model.setBatchRule("3:4");
  for (size_t bs = 1; bs <= 6; ++bs) {
    tfaot::FloatArrays a(bs, std::vector<float>{1, 2, 3, 4});
    tfaot::DoubleArrays d(bs, std::vector<double>{4, 3, 2, 1});
    model.run<tfaot::FloatArrays, tfaot::BoolArrays>(bs, a, d);  // warm-up of bs
    size_t allocations;
    {
      Counting counting;
      auto [f, flags] = model.run<tfaot::FloatArrays, tfaot::BoolArrays>(bs, a, d);
      allocations = counting.count();
      EXPECT_EQ(f.size(), bs);
    }
    // Each output: the outer vector plus one inner vector per entry.
    EXPECT_EQ(allocations, 2 * (1 + bs)) << "batch size " << bs;
  }
}

}  // namespace
