#!/usr/bin/env python3
"""Compiles every NativeAttention compile unit with NVRTC, as the library will, and reports ptxas resources.

A unit is na_common.cuh + a spec's mods (native/tests/mods/*.cuh) + na_params.cuh + one kernel file (the test
reference adds tests/reference_params.cuh before tests/reference.cu), concatenated with no includes. Needs no GPU: NVRTC (libnvrtc.so, 11.2 or newer) produces a CUBIN for the given real arch and
prints ptxas's register, shared-memory, stack and spill report. Exits non-zero on a compile error, a spill or a
stack frame.

  python3 native/tools/nvrtc_check.py [--nvrtc PATH] [--arch sm_80] [--kernel forward] [--mods causal] [--dim 128]
"""
import argparse
import ctypes
import os
import re
import sys

NATIVE = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
# The pieces that follow na_params.cuh in each kind of unit.
KERNELS = {"forward": ["na_flash_forward.cu"], "decode": ["na_decode.cu"], "classify": ["na_classify_tiles.cu"],
           "reference": ["tests/reference_params.cuh", "tests/reference.cu"]}


def unit_source(kernel, mods):
    parts = [os.path.join(NATIVE, "na_common.cuh"), os.path.join(NATIVE, "tests", "mods", mods + ".cuh"),
             os.path.join(NATIVE, "na_params.cuh")] + [os.path.join(NATIVE, k) for k in KERNELS[kernel]]
    return "".join(open(p, encoding="utf-8").read() + "\n" for p in parts)


def compile_unit(lib, source, name, options):
    prog = ctypes.c_void_p()
    check(lib, lib.nvrtcCreateProgram(ctypes.byref(prog), source.encode(), name.encode(), 0, None, None))
    opts = (ctypes.c_char_p * len(options))(*[o.encode() for o in options])
    result = lib.nvrtcCompileProgram(prog, len(options), opts)
    size = ctypes.c_size_t()
    lib.nvrtcGetProgramLogSize(prog, ctypes.byref(size))
    log = ctypes.create_string_buffer(size.value)
    lib.nvrtcGetProgramLog(prog, log)
    lib.nvrtcDestroyProgram(ctypes.byref(prog))
    return result, log.value.decode(errors="replace")


def check(lib, code):
    if code != 0:
        lib.nvrtcGetErrorString.restype = ctypes.c_char_p
        raise RuntimeError(lib.nvrtcGetErrorString(code).decode())


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--nvrtc", default="/usr/lib/x86_64-linux-gnu/libnvrtc.so.11.2")
    ap.add_argument("--arch", default="sm_80")
    ap.add_argument("--kernel", choices=sorted(KERNELS), action="append")
    ap.add_argument("--mods", action="append")
    ap.add_argument("--dtype", action="append", choices=["bf16", "fp16"])
    ap.add_argument("--dim", type=int, action="append", help="head dim (value dim equal unless --value-dim)")
    ap.add_argument("--value-dim", type=int)
    ap.add_argument("--define", action="append", default=[], help="extra -D option, e.g. NA_FWD_BLOCK_N=32")
    ap.add_argument("--verbose", action="store_true")
    args = ap.parse_args()
    lib = ctypes.CDLL(args.nvrtc)
    all_mods = sorted(f[:-4] for f in os.listdir(os.path.join(NATIVE, "tests", "mods")) if f.endswith(".cuh"))
    failures = 0
    for kernel in args.kernel or sorted(KERNELS):
        for mods in args.mods or all_mods:
            for dtype in args.dtype or ["bf16", "fp16"]:
                for dim in args.dim or [64, 128, 256]:
                    vdim = args.value_dim or dim
                    name = f"{kernel}_{mods}_{dtype}_{dim}_{vdim}"
                    options = [f"-arch={args.arch}", "-std=c++17", f"-DNA_DTYPE={dtype}", f"-DNA_HEAD_DIM={dim}",
                               f"-DNA_VALUE_DIM={vdim}", "--ptxas-options=-v"] + [f"-D{d}" for d in args.define]
                    result, log = compile_unit(lib, unit_source(kernel, mods), name + ".cu", options)
                    resources = re.findall(r"Function properties for (\w+)\s*\n[^\n]*?(\d+) bytes stack frame, "
                                           r"(\d+) bytes spill stores, (\d+) bytes spill loads", log)
                    regs = re.findall(r"Compiling entry function '(\w+)'.*?\n.*?Used (\d+) registers", log, re.S)
                    bad = result != 0 or any(int(a) or int(b) or int(c) for _, a, b, c in resources)
                    failures += bad
                    summary = ", ".join(f"{f}: {r} regs" for f, r in regs)
                    spills = ", ".join(f"{f}: stack {a} spill {b}/{c}" for f, a, b, c in resources)
                    print(f"{'FAIL' if bad else 'ok  '} {name}: {summary} | {spills}")
                    if bad or args.verbose:
                        print(log)
    print(f"{failures} failing unit(s)")
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
