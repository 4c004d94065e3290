using NativeAttention.Tests.Support;
using Xunit;

namespace NativeAttention.Tests.Cpu;

/// <summary>
/// The built-in variants whose mods the generator vectorizes: their row methods equal the scalar mods bit for bit, and
/// the variants it must leave scalar (a transcendental, int division, a per-key capture read) say so.
/// </summary>
public sealed class VectorModsTests
{
    [Fact]
    public void AlibiRowsMatchScalar()
    {
        Assert.True(Alibi.Mods.HasVectorScore);
        Assert.True(Alibi.Mods.HasVectorMask);
        var slopes = new PinnedCapture<float>([0.5f, -0.25f, 0f, -0f, 1e-3f, float.NaN, float.PositiveInfinity, 3f]);
        VectorRowChecker.Check(new Alibi.Mods(slopes.Span), heads: 8, seed: 1);
    }

    [Fact]
    public void CausalRowsMatchScalar()
    {
        Assert.True(Causal.Mods.HasVectorMask);
        VectorRowChecker.Check(new Causal.Mods(), heads: 4, seed: 2);
    }

    [Theory]
    [InlineData(0, 0)]
    [InlineData(4, 40)]
    [InlineData(3, 1)]
    public void AttentionSinksRowsMatchScalar(int sinks, int window)
    {
        Assert.True(AttentionSinks.Mods.HasVectorMask);
        VectorRowChecker.Check(new AttentionSinks.Mods(sinks, window), heads: 4, seed: 3 + window);
    }

    [Theory]
    [InlineData(0)]
    [InlineData(70)]
    public void PrefixLMRowsMatchScalar(int prefix)
    {
        Assert.True(PrefixLM.Mods.HasVectorMask);
        VectorRowChecker.Check(new PrefixLM.Mods(prefix), heads: 4, seed: 4 + prefix);
    }

    [Theory]
    [InlineData(1)]
    [InlineData(50)]
    [InlineData(int.MinValue)]
    public void SlidingWindowRowsMatchScalar(int window)
    {
        Assert.True(SlidingWindow.Mods.HasVectorMask);
        VectorRowChecker.Check(new SlidingWindow.Mods(window), heads: 4, seed: 5);
    }

    [Fact]
    public void ModsWithoutAnExactVectorFormStayScalar()
    {
        Assert.False(SoftCap.Mods.HasVectorScore);
        Assert.False(LocalWindow2D.Mods.HasVectorMask);
        Assert.False(DocumentMask.Mods.HasVectorMask);
        Assert.False(RelativePositionBias.Mods.HasVectorScore);
        Assert.False(Dense.Mods.HasVectorScore);
    }
}
