// Host view of the test specs: each mods header, na_params.cuh and reference_params.cuh included inside a namespace
// of its own, so that the host builds exactly the structs the device code declares. Each trait names the spec's
// unit files and builds its captures.
#pragma once

#include "harness.cuh"

typedef long long na_i64;

namespace na_dense
{
#include "mods/dense.cuh"
#include "../na_params.cuh"
#include "reference_params.cuh"
} // namespace na_dense
#undef NA_HAS_SCORE_MOD
#undef NA_HAS_MASK_MOD

namespace na_causal
{
#include "mods/causal.cuh"
#include "../na_params.cuh"
#include "reference_params.cuh"
} // namespace na_causal
#undef NA_HAS_SCORE_MOD
#undef NA_HAS_MASK_MOD

namespace na_sliding_window
{
#include "mods/sliding_window.cuh"
#include "../na_params.cuh"
#include "reference_params.cuh"
} // namespace na_sliding_window
#undef NA_HAS_SCORE_MOD
#undef NA_HAS_MASK_MOD

namespace na_alibi_causal
{
#include "mods/alibi_causal.cuh"
#include "../na_params.cuh"
#include "reference_params.cuh"
} // namespace na_alibi_causal
#undef NA_HAS_SCORE_MOD
#undef NA_HAS_MASK_MOD

namespace na_softcap
{
#include "mods/softcap.cuh"
#include "../na_params.cuh"
#include "reference_params.cuh"
} // namespace na_softcap
#undef NA_HAS_SCORE_MOD
#undef NA_HAS_MASK_MOD

namespace na_document
{
#include "mods/document.cuh"
#include "../na_params.cuh"
#include "reference_params.cuh"
} // namespace na_document
#undef NA_HAS_SCORE_MOD
#undef NA_HAS_MASK_MOD

// Capture values a run asks for; each spec takes what it uses.
struct NaCaptureValues
{
    int window = 64;
    float cap = 30.0f;
    unsigned seed = 1;
};

// Device memory behind span captures, alive for as long as the launches that read it.
using NaCaptureStore = std::vector<NaBuffer>;

#define NA_SPEC_TYPES(ns)                                \
    using Captures = ns::na_captures;                    \
    using Forward = ns::na_forward_params;               \
    using Decode = ns::na_decode_params;                 \
    using Combine = ns::na_combine_params;               \
    using Classify = ns::na_classify_params;             \
    using Reference = ns::na_reference_params;

struct NaDenseSpec
{
    NA_SPEC_TYPES(na_dense)
    static constexpr const char* name = "dense";
    static constexpr bool has_mask = false;
    static Captures captures(NaCaptureStore&, int, int, const NaCaptureValues&) { return {0}; }
};

struct NaCausalSpec
{
    NA_SPEC_TYPES(na_causal)
    static constexpr const char* name = "causal";
    static constexpr bool has_mask = true;
    static Captures captures(NaCaptureStore&, int, int, const NaCaptureValues&) { return {0}; }
};

struct NaSlidingWindowSpec
{
    NA_SPEC_TYPES(na_sliding_window)
    static constexpr const char* name = "sliding_window";
    static constexpr bool has_mask = true;
    static Captures captures(NaCaptureStore&, int, int, const NaCaptureValues& v) { return {v.window}; }
};

struct NaAlibiCausalSpec
{
    NA_SPEC_TYPES(na_alibi_causal)
    static constexpr const char* name = "alibi_causal";
    static constexpr bool has_mask = true;
    static Captures captures(NaCaptureStore& store, int heads, int, const NaCaptureValues&)
    {
        std::vector<float> slopes(heads);
        for (int h = 0; h < heads; ++h)
            slopes[h] = std::exp2(-8.0f * (h + 1) / heads);
        store.push_back(NaBuffer::upload(slopes));
        return {store.back().as<const float>(), heads};
    }
};

struct NaSoftcapSpec
{
    NA_SPEC_TYPES(na_softcap)
    static constexpr const char* name = "softcap";
    static constexpr bool has_mask = false;
    static Captures captures(NaCaptureStore&, int, int, const NaCaptureValues& v) { return {v.cap}; }
};

struct NaDocumentSpec
{
    NA_SPEC_TYPES(na_document)
    static constexpr const char* name = "document";
    static constexpr bool has_mask = true;
    // Documents of pseudo-random lengths 1..200 over the key positions.
    static Captures captures(NaCaptureStore& store, int, int seq_kv, const NaCaptureValues& v)
    {
        std::vector<int> ids(seq_kv);
        unsigned state = v.seed * 2654435761u + 12345u;
        int doc = 0;
        for (int i = 0; i < seq_kv;)
        {
            state = state * 1664525u + 1013904223u;
            const int length = 1 + (int)((state >> 8) % 200);
            for (int j = 0; j < length && i < seq_kv; ++j, ++i)
                ids[i] = doc;
            ++doc;
        }
        store.push_back(NaBuffer::upload(ids));
        return {store.back().as<const int>(), seq_kv};
    }
};

#undef NA_SPEC_TYPES
