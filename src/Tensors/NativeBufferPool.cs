using System;
using System.Numerics;
using System.Runtime.CompilerServices;
using System.Threading;

namespace NativeAttention;

/// <summary>
/// A thread-safe pool of <see cref="NativeBuffer{T}"/> in power-of-two size classes, so that kernels can take and
/// give back scratch memory per call without allocating.
/// </summary>
/// <remarks>
/// <see cref="Rent{T}(int)"/> returns a buffer whose <see cref="NativeBuffer{T}.Length"/> is the smallest power of
/// two that is at least the requested length (lengths above 2^30 are allocated exactly and never kept). The pool
/// keeps at most <see cref="MaxRetainedBytes"/> bytes and a bounded number of buffers per element type and size
/// class; a returned buffer that would exceed either bound is freed instead. Renting and returning a buffer of a
/// size the pool already holds allocates nothing.
/// </remarks>
public sealed class NativeBufferPool
{
    /// <summary>The alignment, in bytes, of every <see cref="NativeBuffer{T}"/>: a cache line and a 512-bit vector.</summary>
    public const int Alignment = 64;

    /// <summary>The default bound on the bytes a pool keeps: 128 MiB.</summary>
    public const long DefaultMaxRetainedBytes = 128L << 20;

    private const int SizeClassCount = 31;
    private const int MaxPooledLength = 1 << (SizeClassCount - 1);

    private static int s_nextTypeSlot = -1;

    private readonly Lock _typeTableLock = new();
    private readonly int _maxBuffersPerSizeClass;
    private ITypedSizeClasses?[] _sizeClassesByType = new ITypedSizeClasses?[4];
    private long _retainedBytes;

    /// <summary>Creates a pool that keeps up to <see cref="DefaultMaxRetainedBytes"/> bytes.</summary>
    public NativeBufferPool()
        : this(DefaultMaxRetainedBytes, Math.Max(8, 2 * Environment.ProcessorCount))
    {
    }

    /// <summary>Creates a pool with explicit bounds.</summary>
    /// <param name="maxRetainedBytes">The most bytes the pool keeps across all types and size classes; zero keeps nothing.</param>
    /// <param name="maxBuffersPerSizeClass">The most buffers the pool keeps per element type and size class.</param>
    /// <exception cref="ArgumentOutOfRangeException">A bound is negative, or <paramref name="maxBuffersPerSizeClass"/> is zero.</exception>
    public NativeBufferPool(long maxRetainedBytes, int maxBuffersPerSizeClass)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(maxRetainedBytes);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(maxBuffersPerSizeClass);
        MaxRetainedBytes = maxRetainedBytes;
        _maxBuffersPerSizeClass = maxBuffersPerSizeClass;
    }

    /// <summary>Gets the process-wide pool, with the default bounds.</summary>
    public static NativeBufferPool Shared { get; } = new();

    /// <summary>Gets the most bytes this pool keeps.</summary>
    public long MaxRetainedBytes { get; }

    /// <summary>Gets the bytes held by buffers that sit in this pool now.</summary>
    public long RetainedBytes => Interlocked.Read(ref _retainedBytes);

    /// <summary>Takes a buffer of at least <paramref name="minimumLength"/> elements from the pool, or allocates one.</summary>
    /// <typeparam name="T">The element type.</typeparam>
    /// <param name="minimumLength">The fewest elements the buffer must hold; zero gives the smallest size class.</param>
    /// <returns>A 64-byte aligned buffer with uninitialized contents, owned by the caller until returned or disposed.</returns>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="minimumLength"/> is negative.</exception>
    public NativeBuffer<T> Rent<T>(int minimumLength) where T : unmanaged
    {
        ArgumentOutOfRangeException.ThrowIfNegative(minimumLength);
        if (minimumLength > MaxPooledLength)
        {
            return new NativeBuffer<T>(minimumLength);
        }

        int sizeClass = SizeClassOf(minimumLength);
        if (GetSizeClasses<T>(create: false) is { } classes && classes.TryPop(sizeClass, out NativeBuffer<T>? pooled))
        {
            Interlocked.Add(ref _retainedBytes, -pooled.ByteCount);
            pooled.MoveOutOfPool();
            return pooled;
        }

        return new NativeBuffer<T>(1 << sizeClass);
    }

    /// <summary>Gives a buffer back to the pool; the caller must not use it afterwards.</summary>
    /// <typeparam name="T">The element type.</typeparam>
    /// <param name="buffer">
    /// The buffer to give back. One whose length is not a power of two, or that the pool's bounds leave no room for,
    /// is freed instead of kept.
    /// </param>
    /// <exception cref="ArgumentNullException"><paramref name="buffer"/> is <see langword="null"/>.</exception>
    /// <exception cref="InvalidOperationException"><paramref name="buffer"/> already sits in a pool.</exception>
    /// <exception cref="ObjectDisposedException"><paramref name="buffer"/> was disposed.</exception>
    public void Return<T>(NativeBuffer<T> buffer) where T : unmanaged
    {
        ArgumentNullException.ThrowIfNull(buffer);
        if (!buffer.TryMoveToPool())
        {
            if (buffer.IsInPool)
            {
                throw new InvalidOperationException("The buffer was already returned to a pool; a buffer may be returned once per rent.");
            }

            throw new ObjectDisposedException(nameof(buffer), "A disposed buffer cannot be returned to a pool.");
        }

        int length = buffer.Length;
        if (length == 0 || length > MaxPooledLength || !BitOperations.IsPow2(length))
        {
            buffer.ReleaseFromPool();
            return;
        }

        long bytes = buffer.ByteCount;
        if (Interlocked.Add(ref _retainedBytes, bytes) > MaxRetainedBytes
            || !GetSizeClasses<T>(create: true)!.TryPush(BitOperations.Log2((uint)length), buffer))
        {
            Interlocked.Add(ref _retainedBytes, -bytes);
            buffer.ReleaseFromPool();
        }
    }

    /// <summary>Frees every buffer the pool holds now; buffers rented out are not affected.</summary>
    public void Trim()
    {
        ITypedSizeClasses?[] table = Volatile.Read(ref _sizeClassesByType);
        foreach (ITypedSizeClasses? classes in table)
        {
            if (classes is not null)
            {
                Interlocked.Add(ref _retainedBytes, -classes.ReleaseAll());
            }
        }
    }

    private static int SizeClassOf(int minimumLength) =>
        minimumLength <= 1 ? 0 : BitOperations.Log2((uint)minimumLength - 1) + 1;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private TypedSizeClasses<T>? GetSizeClasses<T>(bool create) where T : unmanaged
    {
        int slot = TypeSlot<T>.Index;
        ITypedSizeClasses?[] table = Volatile.Read(ref _sizeClassesByType);
        if ((uint)slot < (uint)table.Length && table[slot] is TypedSizeClasses<T> classes)
        {
            return classes;
        }

        return create ? AddSizeClasses<T>(slot) : null;
    }

    private TypedSizeClasses<T> AddSizeClasses<T>(int slot) where T : unmanaged
    {
        lock (_typeTableLock)
        {
            ITypedSizeClasses?[] table = _sizeClassesByType;
            if ((uint)slot < (uint)table.Length && table[slot] is TypedSizeClasses<T> existing)
            {
                return existing;
            }

            // Readers never lock, so publish a grown copy instead of resizing in place.
            ITypedSizeClasses?[] grown = table;
            if (slot >= table.Length)
            {
                grown = new ITypedSizeClasses?[Math.Max(slot + 1, table.Length * 2)];
                Array.Copy(table, grown, table.Length);
            }

            TypedSizeClasses<T> created = new(_maxBuffersPerSizeClass);
            grown[slot] = created;
            Volatile.Write(ref _sizeClassesByType, grown);
            return created;
        }
    }

    // A small dense index per element type, shared by all pools, so that finding a type's buckets is an array read.
    private static class TypeSlot<T> where T : unmanaged
    {
        public static readonly int Index = Interlocked.Increment(ref s_nextTypeSlot);
    }

    private interface ITypedSizeClasses
    {
        /// <summary>Frees every buffer held and returns their total size in bytes.</summary>
        long ReleaseAll();
    }

    private sealed class TypedSizeClasses<T> : ITypedSizeClasses where T : unmanaged
    {
        private readonly SizeClassStack[] _stacks;

        public TypedSizeClasses(int capacityPerSizeClass)
        {
            _stacks = new SizeClassStack[SizeClassCount];
            for (int i = 0; i < _stacks.Length; i++)
            {
                _stacks[i] = new SizeClassStack(capacityPerSizeClass);
            }
        }

        public bool TryPop(int sizeClass, [System.Diagnostics.CodeAnalysis.NotNullWhen(true)] out NativeBuffer<T>? buffer) =>
            _stacks[sizeClass].TryPop(out buffer);

        public bool TryPush(int sizeClass, NativeBuffer<T> buffer) => _stacks[sizeClass].TryPush(buffer);

        public long ReleaseAll()
        {
            long released = 0;
            foreach (SizeClassStack stack in _stacks)
            {
                while (stack.TryPop(out NativeBuffer<T>? buffer))
                {
                    released += buffer.ByteCount;
                    buffer.ReleaseFromPool();
                }
            }

            return released;
        }

        // A short critical section per operation; the item array is allocated on the first push only.
        private sealed class SizeClassStack(int capacity)
        {
            private readonly Lock _lock = new();
            private NativeBuffer<T>?[]? _items;
            private int _count;

            public bool TryPop([System.Diagnostics.CodeAnalysis.NotNullWhen(true)] out NativeBuffer<T>? buffer)
            {
                lock (_lock)
                {
                    if (_count == 0)
                    {
                        buffer = null;
                        return false;
                    }

                    _count--;
                    buffer = _items![_count]!;
                    _items[_count] = null;
                    return true;
                }
            }

            public bool TryPush(NativeBuffer<T> buffer)
            {
                lock (_lock)
                {
                    _items ??= new NativeBuffer<T>?[capacity];
                    if (_count == _items.Length)
                    {
                        return false;
                    }

                    _items[_count++] = buffer;
                    return true;
                }
            }
        }
    }
}
