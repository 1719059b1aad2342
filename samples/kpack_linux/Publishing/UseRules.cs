namespace Kpack.Linux.Publishing;

/// <summary>
/// The USE-method anomaly rules of the original kpack_linux: a resource is anomalous when it is highly
/// utilised or saturated. Every threshold is exclusive (90 % is normal, 90.01 % is not). Guarded, at and
/// around every threshold, by UseRulesTests.
/// </summary>
internal static class UseRules
{
    public const decimal CpuUse = 90m;
    public const decimal MemUsed = 85m;
    public const decimal MajorFaultsPerSecond = 100m;
    public const decimal DiskUtil = 80m;
    public const decimal FilesystemUsed = 80m;
    public const decimal InterfaceUtil = 80m;

    /// <summary>
    /// CPU: use (user + nice + system + steal) above 90 %, or saturation: both the run queue and the 1-minute
    /// load average above one per CPU. Null (nothing to write) when neither use nor saturation can be judged.
    /// </summary>
    public static bool? Cpu(decimal? use, decimal? runQueue, decimal? loadAverage1, decimal? cpuCount)
    {
        bool? saturated = runQueue is { } rq && loadAverage1 is { } ld && cpuCount is > 0 and { } n
            ? rq / n > 1m && ld / n > 1m
            : null;
        if (use is null && saturated is null)
        {
            return null;
        }
        return use > CpuUse || saturated == true;
    }

    /// <summary>Memory: %memused above 85 or more than 100 major faults a second. Null when neither is known.</summary>
    public static bool? Memory(decimal? memUsedPercent, decimal? majorFaultsPerSecond)
    {
        if (memUsedPercent is null && majorFaultsPerSecond is null)
        {
            return null;
        }
        return memUsedPercent > MemUsed || majorFaultsPerSecond > MajorFaultsPerSecond;
    }

    /// <summary>A disk: %util above 80.</summary>
    public static bool Disk(decimal utilPercent) => utilPercent > DiskUtil;

    /// <summary>A filesystem: %fsused above 80.</summary>
    public static bool Filesystem(decimal usedPercent) => usedPercent > FilesystemUsed;

    /// <summary>A network interface: %ifutil above 80.</summary>
    public static bool Interface(decimal utilPercent) => utilPercent > InterfaceUtil;
}
