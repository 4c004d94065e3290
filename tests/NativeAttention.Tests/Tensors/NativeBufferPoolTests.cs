using System;
using System.Threading;
using System.Threading.Tasks;
using Xunit;

namespace NativeAttention.Tests.Tensors;

public sealed unsafe class NativeBufferPoolTests
{
    [Theory]
    [InlineData(0, 1)]
    [InlineData(1, 1)]
    [InlineData(3, 4)]
    [InlineData(64, 64)]
    [InlineData(65, 128)]
    [InlineData(1_000_000, 1 << 20)]
    public void RentRoundsUpToAPowerOfTwo(int minimumLength, int expectedLength)
    {
        NativeBufferPool pool = new();
        NativeBuffer<float> buffer = pool.Rent<float>(minimumLength);
        Assert.Equal(expectedLength, buffer.Length);
        Assert.Equal(0u, (nuint)buffer.Pointer % NativeBufferPool.Alignment);
        pool.Return(buffer);
        pool.Trim();
    }

    [Fact]
    public void NegativeMinimumLengthIsRejectedNamingTheArgument()
    {
        Assert.Throws<ArgumentOutOfRangeException>("minimumLength", () => new NativeBufferPool().Rent<float>(-5));
    }

    [Fact]
    public void ReturnedBufferIsReusedForAnyLengthInItsSizeClass()
    {
        NativeBufferPool pool = new();
        NativeBuffer<float> first = pool.Rent<float>(100);
        float* pointer = first.Pointer;
        pool.Return(first);
        Assert.Equal(128 * sizeof(float), pool.RetainedBytes);

        NativeBuffer<float> second = pool.Rent<float>(120);
        Assert.Same(first, second);
        Assert.True(second.Pointer == pointer);
        Assert.Equal(0, pool.RetainedBytes);
        second.Dispose();
    }

    [Fact]
    public void ElementTypesAndSizeClassesDoNotMix()
    {
        NativeBufferPool pool = new();
        NativeBuffer<float> floats = pool.Rent<float>(128);
        pool.Return(floats);

        using NativeBuffer<int> ints = pool.Rent<int>(128);
        using NativeBuffer<float> larger = pool.Rent<float>(129);
        Assert.NotSame(floats, larger);
        using NativeBuffer<float> reused = pool.Rent<float>(128);
        Assert.Same(floats, reused);
    }

    [Fact]
    public void WarmRentAndReturnDoNotAllocate()
    {
        NativeBufferPool pool = new();
        for (int i = 0; i < 100; i++)
        {
            pool.Return(pool.Rent<float>(4096));
            pool.Return(pool.Rent<BFloat16>(300));
        }

        // The runtime may allocate a few bytes once while it swaps this loop to optimized code mid-window (on-stack
        // replacement; seen with the pool precompiled). A per-call allocation would show in every window, so the
        // steady state is a window that allocates nothing.
        var windows = new long[3];
        for (int window = 0; window < windows.Length; window++)
        {
            long before = GC.GetAllocatedBytesForCurrentThread();
            for (int i = 0; i < 10_000; i++)
            {
                pool.Return(pool.Rent<float>(4096));
                pool.Return(pool.Rent<BFloat16>(300));
            }

            windows[window] = GC.GetAllocatedBytesForCurrentThread() - before;
        }

        Assert.True(Array.IndexOf(windows, 0L) >= 0, $"Every window of 10,000 rent/return pairs allocated: {string.Join(", ", windows)} bytes.");
        pool.Trim();
    }

    [Fact]
    public void ReturnedBufferCannotBeUsedAndItsStaleDisposeDoesNotFreeIt()
    {
        NativeBufferPool pool = new();
        NativeBuffer<int> buffer = pool.Rent<int>(16);
        pool.Return(buffer);

        Assert.True(buffer.IsDisposed);
        Assert.Throws<ObjectDisposedException>(() => buffer.Span.Length);
        buffer.Dispose();

        NativeBuffer<int> again = pool.Rent<int>(16);
        Assert.Same(buffer, again);
        again.Span.Fill(7);
        Assert.Equal(7, again.Pointer[15]);
        again.Dispose();
    }

    [Fact]
    public void ReturningTwiceOrAfterDisposeThrows()
    {
        NativeBufferPool pool = new();
        NativeBuffer<int> buffer = pool.Rent<int>(16);
        pool.Return(buffer);
        Assert.Throws<InvalidOperationException>(() => pool.Return(buffer));

        NativeBuffer<int> disposed = pool.Rent<int>(32);
        disposed.Dispose();
        Assert.Throws<ObjectDisposedException>(() => pool.Return(disposed));
        Assert.Throws<ArgumentNullException>("buffer", () => pool.Return<int>(null!));
        pool.Trim();
    }

    [Fact]
    public void RetainedBytesStayWithinTheByteBound()
    {
        NativeBufferPool pool = new(maxRetainedBytes: 1024, maxBuffersPerSizeClass: 16);
        NativeBuffer<float> first = pool.Rent<float>(256);
        NativeBuffer<float> second = pool.Rent<float>(256);
        pool.Return(first);
        pool.Return(second);

        Assert.Equal(1024, pool.RetainedBytes);
        Assert.Same(first, pool.Rent<float>(256));
        NativeBuffer<float> fresh = pool.Rent<float>(256);
        Assert.NotSame(second, fresh);
        fresh.Dispose();
    }

    [Fact]
    public void RetainedBuffersStayWithinTheCountBoundPerSizeClass()
    {
        NativeBufferPool pool = new(maxRetainedBytes: 1 << 20, maxBuffersPerSizeClass: 2);
        NativeBuffer<byte>[] buffers = [pool.Rent<byte>(64), pool.Rent<byte>(64), pool.Rent<byte>(64)];
        foreach (NativeBuffer<byte> buffer in buffers)
        {
            pool.Return(buffer);
        }

        Assert.Equal(2 * 64, pool.RetainedBytes);
        pool.Trim();
    }

    [Fact]
    public void BuffersWhoseLengthIsNoSizeClassAreFreedNotKept()
    {
        NativeBufferPool pool = new();
        NativeBuffer<float> odd = new(100);
        pool.Return(odd);
        Assert.Equal(0, pool.RetainedBytes);
        Assert.True(odd.IsDisposed);
        using NativeBuffer<float> fresh = pool.Rent<float>(100);
        Assert.NotSame(odd, fresh);
    }

    [Fact]
    public void TrimFreesEverythingHeld()
    {
        NativeBufferPool pool = new();
        NativeBuffer<float> floats = pool.Rent<float>(1000);
        NativeBuffer<double> doubles = pool.Rent<double>(10);
        pool.Return(floats);
        pool.Return(doubles);
        Assert.Equal((1024 * sizeof(float)) + (16 * sizeof(double)), pool.RetainedBytes);

        pool.Trim();

        Assert.Equal(0, pool.RetainedBytes);
        using NativeBuffer<float> fresh = pool.Rent<float>(1000);
        Assert.NotSame(floats, fresh);
    }

    [Fact]
    public void ConcurrentRentersNeverShareABuffer()
    {
        NativeBufferPool pool = new(maxRetainedBytes: 1 << 20, maxBuffersPerSizeClass: 4);
        int[] lengths = [16, 100, 256, 1000];
        int failures = 0;
        Parallel.For(0, 8, new ParallelOptions { MaxDegreeOfParallelism = 8 }, worker =>
        {
            Random random = new(worker);
            for (int iteration = 0; iteration < 3000; iteration++)
            {
                NativeBuffer<int> buffer = pool.Rent<int>(lengths[random.Next(lengths.Length)]);
                int stamp = (worker << 20) | iteration;
                buffer.Span.Fill(stamp);
                Thread.Yield();
                foreach (int value in buffer.Span)
                {
                    if (value != stamp)
                    {
                        Interlocked.Increment(ref failures);
                        break;
                    }
                }

                pool.Return(buffer);
            }
        });

        Assert.Equal(0, failures);
        Assert.InRange(pool.RetainedBytes, 0, pool.MaxRetainedBytes);
        pool.Trim();
        Assert.Equal(0, pool.RetainedBytes);
    }

    [Fact]
    public void SharedPoolIsOneInstanceThatRentsAndTakesBack()
    {
        Assert.Same(NativeBufferPool.Shared, NativeBufferPool.Shared);
        NativeBuffer<float> buffer = NativeBufferPool.Shared.Rent<float>(33);
        Assert.Equal(64, buffer.Length);
        buffer.Span.Clear();
        NativeBufferPool.Shared.Return(buffer);
        Assert.True(buffer.IsDisposed);
    }
}
