using System;

namespace NativeAttention;

/// <summary>An NVRTC call failed; for a compile error <see cref="Log"/> holds the full compiler log.</summary>
public sealed class NvrtcException : Exception
{
    /// <summary>Creates an exception for an NVRTC failure.</summary>
    /// <param name="errorCode">The <c>nvrtcResult</c> value.</param>
    /// <param name="errorDescription">The text from <c>nvrtcGetErrorString</c>.</param>
    /// <param name="operation">The NVRTC function or step that failed.</param>
    /// <param name="log">The compiler log; empty when the failure is not a compile error.</param>
    public NvrtcException(int errorCode, string errorDescription, string operation, string log)
        : base(log.Length == 0
            ? $"{operation} failed with {errorDescription} ({errorCode})."
            : $"{operation} failed with {errorDescription} ({errorCode}). Compiler log:{Environment.NewLine}{log}")
    {
        ErrorCode = errorCode;
        ErrorDescription = errorDescription;
        Operation = operation;
        Log = log;
    }

    /// <summary>Gets the <c>nvrtcResult</c> value.</summary>
    public int ErrorCode { get; }

    /// <summary>Gets the text from <c>nvrtcGetErrorString</c>.</summary>
    public string ErrorDescription { get; }

    /// <summary>Gets the NVRTC function or step that failed.</summary>
    public string Operation { get; }

    /// <summary>Gets the full compiler log (empty when the failure is not a compile error).</summary>
    public string Log { get; }
}
