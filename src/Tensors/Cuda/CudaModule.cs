using System;
using System.Collections.Generic;
using System.Runtime.InteropServices;
using System.Text;
using System.Threading;
using NativeAttention.Interop;

namespace NativeAttention;

/// <summary>A loaded CUBIN or PTX image (<c>cuModuleLoadData</c>) on a device's primary context.</summary>
public sealed unsafe class CudaModule : IDisposable
{
    private readonly CudaModuleHandle _handle;
    private readonly Dictionary<string, CudaKernel> _kernels = new(StringComparer.Ordinal);
    private readonly Lock _kernelsLock = new();

    private CudaModule(CudaDevice device, CudaModuleHandle handle)
    {
        Device = device;
        _handle = handle;
    }

    /// <summary>Gets the device the module is loaded on.</summary>
    public CudaDevice Device { get; }

    /// <summary>Gets the raw <c>CUmodule</c>; throws once disposed.</summary>
    internal nint Handle => _handle.Value;

    /// <summary>Loads a CUBIN or PTX image. PTX is JIT-compiled by the driver here; a CUBIN for the exact arch is not.</summary>
    /// <param name="device">The device to load on.</param>
    /// <param name="image">The CUBIN (ELF) or PTX text; a missing NUL terminator is added for PTX.</param>
    /// <returns>The module.</returns>
    public static CudaModule Load(CudaDevice device, ReadOnlySpan<byte> image)
    {
        ArgumentNullException.ThrowIfNull(device);
        if (image.IsEmpty)
        {
            throw new ArgumentException("Expected a CUBIN or PTX image; actual 0 bytes.", nameof(image));
        }

        byte* copy = (byte*)NativeMemory.Alloc((nuint)image.Length + 1);
        try
        {
            image.CopyTo(new Span<byte>(copy, image.Length));
            copy[image.Length] = 0;
            device.MakeCurrent();
            nint module;
            CudaException.ThrowIfFailed(CudaDriverApi.cuModuleLoadData(&module, copy), "cuModuleLoadData");
            return new CudaModule(device, new CudaModuleHandle(device.Context, module));
        }
        finally
        {
            NativeMemory.Free(copy);
        }
    }

    /// <summary>Loads the image of an NVRTC compilation.</summary>
    /// <param name="device">The device to load on.</param>
    /// <param name="compilation">The compiled CUBIN or PTX.</param>
    /// <returns>The module.</returns>
    public static CudaModule Load(CudaDevice device, NvrtcCompilation compilation)
    {
        ArgumentNullException.ThrowIfNull(compilation);
        return Load(device, compilation.Image);
    }

    /// <summary>Gets a kernel by its (unmangled, <c>extern "C"</c>) name; the same instance for every call with one name.</summary>
    /// <param name="name">The kernel's symbol name.</param>
    /// <returns>The kernel.</returns>
    public CudaKernel GetKernel(string name)
    {
        ArgumentException.ThrowIfNullOrEmpty(name);
        lock (_kernelsLock)
        {
            if (_kernels.TryGetValue(name, out CudaKernel? existing))
            {
                return existing;
            }

            int byteCount = Encoding.UTF8.GetByteCount(name);
            Span<byte> utf8 = byteCount < 512 ? stackalloc byte[byteCount + 1] : new byte[byteCount + 1];
            Encoding.UTF8.GetBytes(name, utf8);
            utf8[byteCount] = 0;
            Device.MakeCurrent();
            nint function;
            fixed (byte* symbol = utf8)
            {
                int result = CudaDriverApi.cuModuleGetFunction(&function, _handle.Value, symbol);
                if (result != CudaDriverApi.Success)
                {
                    CudaException inner = CudaException.Create(result, "cuModuleGetFunction");
                    throw new ArgumentException($"Expected a kernel named '{name}' in the module (declared extern \"C\" __global__); {inner.Message}", nameof(name), inner);
                }
            }

            var kernel = new CudaKernel(this, name, function);
            _kernels.Add(name, kernel);
            return kernel;
        }
    }

    /// <summary>
    /// Copies a module-scope variable (e.g. an <c>extern "C" __constant__</c> array) into host memory; synchronous,
    /// meant for configuration read once after loading.
    /// </summary>
    /// <typeparam name="T">The element type of the variable.</typeparam>
    /// <param name="name">The variable's (unmangled) symbol name.</param>
    /// <param name="destination">Host memory of exactly the variable's size.</param>
    /// <exception cref="ArgumentException">No such variable, or its size differs from <paramref name="destination"/>'s.</exception>
    public void CopyGlobalTo<T>(string name, Span<T> destination)
        where T : unmanaged
    {
        ArgumentException.ThrowIfNullOrEmpty(name);
        int byteCount = Encoding.UTF8.GetByteCount(name);
        Span<byte> utf8 = byteCount < 512 ? stackalloc byte[byteCount + 1] : new byte[byteCount + 1];
        Encoding.UTF8.GetBytes(name, utf8);
        utf8[byteCount] = 0;
        Device.MakeCurrent();
        ulong pointer;
        nuint bytes;
        fixed (byte* symbol = utf8)
        {
            int result = CudaDriverApi.cuModuleGetGlobal_v2(&pointer, &bytes, _handle.Value, symbol);
            if (result != CudaDriverApi.Success)
            {
                CudaException inner = CudaException.Create(result, "cuModuleGetGlobal_v2");
                throw new ArgumentException($"Expected a module variable named '{name}' (declared extern \"C\"); {inner.Message}", nameof(name), inner);
            }
        }

        nuint expected = (nuint)destination.Length * (nuint)sizeof(T);
        if (bytes != expected)
        {
            throw new ArgumentException(
                $"Expected the module variable '{name}' to be {expected} bytes ({destination.Length} elements of {sizeof(T)} bytes); actual {bytes} bytes.",
                nameof(destination));
        }

        fixed (T* host = destination)
        {
            CudaException.ThrowIfFailed(CudaDriverApi.cuMemcpyDtoH_v2(host, pointer, bytes), "cuMemcpyDtoH_v2");
        }
    }

    /// <summary>Unloads the module; its kernels can no longer be launched.</summary>
    public void Dispose() => _handle.Dispose();
}
