namespace NativeAttention.Bench;

/// <summary>The element type of a workload's tensors.</summary>
public enum ElementKind
{
    /// <summary>float32.</summary>
    Fp32,

    /// <summary>bfloat16, widened inside the kernel.</summary>
    Bf16,

    /// <summary>IEEE half precision, converted per tile inside the kernel.</summary>
    Fp16,
}
