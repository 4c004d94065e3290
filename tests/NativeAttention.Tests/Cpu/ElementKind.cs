namespace NativeAttention.Tests.Cpu;

/// <summary>The element types the CPU kernel supports.</summary>
public enum ElementKind
{
    Float,
    Half,
    BFloat16,
}
