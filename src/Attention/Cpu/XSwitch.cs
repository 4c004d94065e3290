using System;

namespace NativeAttention;

/// <summary>Temporary A/B switches for the Xeon; removed before landing.</summary>
internal static class XSwitch
{
    public static readonly int BalancedRows = Get("NA_X_BALROWS", 96);
    public static readonly int SmallTileKV = Get("NA_X_KV64", 128);
    public static readonly int WideTileKV = Get("NA_X_KV128", 64);
    public static readonly bool ValuesInPlace = Get("NA_X_VINPLACE", 0) != 0;
    public static readonly bool Columns = Get("NA_X_COLS", 1) != 0;
    public static readonly bool Prefetch = Get("NA_X_PF", 0) != 0;

    private static int Get(string name, int fallback) =>
        int.TryParse(Environment.GetEnvironmentVariable(name), out int value) ? value : fallback;
}
