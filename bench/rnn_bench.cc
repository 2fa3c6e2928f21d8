// Inference speed of a tfaot-compiled Keras LSTM (lstm_music_genre: 130 time steps x 13
// features, LSTM(64) -> LSTM(64) -> Dense): the generated entry music_genre_bsN::run on caller
// buffers, batch 1 and 64. Measures the loop code (per-step work, list updates, projections).
#include "raw_bench.h"
#include "tfaot-model-music-genre/model.h"

namespace {
using tfaot_bench::BM_Raw;
BENCHMARK_TEMPLATE(BM_Raw, tfaot_model::music_genre_bs1)->Name("LstmMusicGenre/1");
BENCHMARK_TEMPLATE(BM_Raw, tfaot_model::music_genre_bs64)->Name("LstmMusicGenre/64");
}  // namespace

BENCHMARK_MAIN();
