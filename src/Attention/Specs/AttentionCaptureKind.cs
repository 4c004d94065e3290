namespace NativeAttention;

/// <summary>The type of one capture (a spec mod parameter after the four indices).</summary>
public enum AttentionCaptureKind
{
    /// <summary><c>ReadOnlySpan&lt;float&gt;</c>: in CUDA a <c>const float*</c> field plus an <c>int</c> length field.</summary>
    FloatSpan = 0,

    /// <summary><c>ReadOnlySpan&lt;int&gt;</c>: in CUDA a <c>const int*</c> field plus an <c>int</c> length field.</summary>
    IntSpan = 1,

    /// <summary><c>float</c>: a launch argument, never baked into the kernel source.</summary>
    Float = 2,

    /// <summary><c>int</c>: a launch argument, never baked into the kernel source.</summary>
    Int = 3,
}
