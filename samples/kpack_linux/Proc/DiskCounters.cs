namespace Kpack.Linux.Proc;

/// <summary>One line of /proc/diskstats.</summary>
internal sealed record DiskCounters(
    string Name,
    long ReadIos, long ReadSectors, long ReadTicks,
    long WriteIos, long WriteSectors, long WriteTicks,
    long IoTicks, long TimeInQueue,
    long DiscardIos, long DiscardSectors, long DiscardTicks)
{
    /// <summary>True when the device has never done any I/O (sar leaves such devices out).</summary>
    public bool Idle => ReadIos == 0 && WriteIos == 0 && DiscardIos == 0 && IoTicks == 0;
}
