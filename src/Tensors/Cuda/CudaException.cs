using System;
using System.Diagnostics.CodeAnalysis;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using NativeAttention.Interop;

namespace NativeAttention;

/// <summary>A CUDA driver call returned an error.</summary>
public sealed class CudaException : Exception
{
    /// <summary>Creates an exception for a driver error.</summary>
    /// <param name="errorCode">The <c>CUresult</c> value.</param>
    /// <param name="errorName">The name from <c>cuGetErrorName</c>, e.g. <c>CUDA_ERROR_OUT_OF_MEMORY</c>.</param>
    /// <param name="errorDescription">The text from <c>cuGetErrorString</c>.</param>
    /// <param name="operation">The driver function that failed.</param>
    public CudaException(int errorCode, string errorName, string errorDescription, string operation)
        : base($"{operation} failed with {errorName} ({errorCode}): {errorDescription}")
    {
        ErrorCode = errorCode;
        ErrorName = errorName;
        ErrorDescription = errorDescription;
        Operation = operation;
    }

    /// <summary>Gets the <c>CUresult</c> value.</summary>
    public int ErrorCode { get; }

    /// <summary>Gets the error name from <c>cuGetErrorName</c>.</summary>
    public string ErrorName { get; }

    /// <summary>Gets the error description from <c>cuGetErrorString</c>.</summary>
    public string ErrorDescription { get; }

    /// <summary>Gets the driver function that failed.</summary>
    public string Operation { get; }

    /// <summary>Throws a <see cref="CudaException"/> when <paramref name="result"/> is not <c>CUDA_SUCCESS</c>.</summary>
    internal static void ThrowIfFailed(int result, string operation)
    {
        if (result != CudaDriverApi.Success)
        {
            Throw(result, operation);
        }
    }

    [DoesNotReturn]
    [MethodImpl(MethodImplOptions.NoInlining)]
    private static void Throw(int result, string operation) => throw Create(result, operation);

    /// <summary>Builds the exception for <paramref name="result"/>, asking the driver for its name and text.</summary>
    internal static unsafe CudaException Create(int result, string operation)
    {
        byte* name = null;
        byte* description = null;
        string errorName = CudaDriverApi.cuGetErrorName(result, &name) == CudaDriverApi.Success && name != null
            ? Marshal.PtrToStringUTF8((nint)name) ?? "CUDA_ERROR_UNKNOWN"
            : "CUDA_ERROR_UNKNOWN";
        string errorDescription = CudaDriverApi.cuGetErrorString(result, &description) == CudaDriverApi.Success && description != null
            ? Marshal.PtrToStringUTF8((nint)description) ?? "no description"
            : "the driver does not know this error code";
        return new CudaException(result, errorName, errorDescription, operation);
    }
}
