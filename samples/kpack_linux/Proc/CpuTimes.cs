namespace Kpack.Linux.Proc;

/// <summary>The aggregate <c>cpu</c> line of /proc/stat, in clock ticks.</summary>
internal sealed record CpuTimes(long User, long Nice, long System, long Idle, long Iowait, long Irq, long Softirq, long Steal, long Guest, long GuestNice);
